"""Load the built-in exercise library, so a fresh database (demo, tests, CI) has it.

Later changes to the content files are loaded with `python manage.py load_exercises`.
"""

from django.db import migrations


def load_library(apps, schema_editor):
    # Imported here and given the historical models, so this migration keeps working as the
    # app's code moves on. No audit events: this is setup, not anyone's action.
    from interlude.exercises.content import sync_library

    sync_library(
        exercise_model=apps.get_model("exercises", "Exercise"),
        version_model=apps.get_model("exercises", "ExerciseVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("exercises", "0001_initial")]

    operations = [migrations.RunPython(load_library, migrations.RunPython.noop)]
