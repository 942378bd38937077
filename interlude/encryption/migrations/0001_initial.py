# DataKey moved here from the privacy app. Its table (privacy_datakey) is created by
# privacy.0001 on a new database and kept as it is: this migration only moves the model's state.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("privacy", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataKey",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "owner_kind",
                            models.CharField(
                                choices=[("user", "Client"), ("couple", "Couple case")], max_length=10
                            ),
                        ),
                        ("owner_id", models.BigIntegerField()),
                        ("wrapped", models.BinaryField(default=b"")),
                        ("master_key_id", models.CharField(blank=True, max_length=16)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("destroyed_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "privacy_datakey",
                        "indexes": [
                            models.Index(
                                fields=["master_key_id"], name="privacy_dat_master__f2459f_idx"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("owner_kind", "owner_id"), name="one_key_per_owner"
                            )
                        ],
                    },
                )
            ],
            database_operations=[],
        )
    ]
