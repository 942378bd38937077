import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exercises", "0004_fill_therapist_notes"), ("homework", "0003_kept_version_and_stage")]

    operations = [
        migrations.AlterField(
            model_name="practicedraft",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="exercises.exerciseversion",
            ),
        ),
        migrations.AlterField(
            model_name="practiceentry",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="exercises.exerciseversion",
            ),
        ),
    ]
