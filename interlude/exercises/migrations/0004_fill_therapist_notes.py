"""Fill in the "For therapists" notes of the built-in library.

0002 wrote the library with historical models that had no ``for_therapists`` column, so on a
fresh database every built-in version starts with empty notes. This fills them in from the
content files, for the rows whose version number is the file's own (written from that very
file). Other changes to the content files are still loaded with `python manage.py
load_exercises`, which records them in the audit log.
"""

from django.db import migrations


def fill_therapist_notes(apps, schema_editor):
    from interlude.exercises.content import load_library, sync_library

    exercise_model = apps.get_model("exercises", "Exercise")
    version_model = apps.get_model("exercises", "ExerciseVersion")
    # Only exercises 0002 (or a later sync) already wrote; new files and raised versions are
    # left to load_exercises, so they reach the audit log like any other library change.
    stored = dict(
        exercise_model.objects.filter(practice__isnull=True).values_list("slug", "latest_version")
    )
    library = [item for item in load_library() if stored.get(item.slug) == item.version]
    sync_library(
        exercise_model=exercise_model,
        version_model=version_model,
        library=library,
        fill_blank=("for_therapists",),
    )


class Migration(migrations.Migration):
    dependencies = [("exercises", "0003_exerciseversion_for_therapists")]

    operations = [migrations.RunPython(fill_therapist_notes, migrations.RunPython.noop)]
