# DataKey now belongs to the encryption app (same table); only the model's state leaves here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("encryption", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DataKey")], database_operations=[]
        )
    ]
