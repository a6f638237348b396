from django.db import migrations

from confidentiality.db import sharing_guard_sql

FORWARD, REVERSE = sharing_guard_sql(
    table="programs_program", through="programs_program_shared_with", record_column="program_id"
)


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [
        migrations.RunSQL(FORWARD, REVERSE),
        # The planner misjudges small organizations' grant counts at default statistics.
        migrations.RunSQL(
            "ALTER TABLE programs_programgrant ALTER COLUMN group_id SET STATISTICS 1000;",
            "ALTER TABLE programs_programgrant ALTER COLUMN group_id SET STATISTICS -1;",
        ),
    ]
