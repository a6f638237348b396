"""The import history moves to the imports app (`portal.imports`), which keeps the imports of every kind of record.

The table is renamed, its rows kept; the model leaves this app's state and `imports.0001_initial` takes it over.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0007_import_jobs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("ImportJob", "imports_importjob")],
            state_operations=[migrations.DeleteModel("ImportJob")],
        ),
    ]
