from django.db import migrations

from confidentiality.db import sharing_guard_sql

FORWARD, REVERSE = sharing_guard_sql(
    table="contacts_pointofcontact",
    through="contacts_pointofcontact_shared_with",
    record_column="pointofcontact_id",
)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_initial")]

    operations = [
        migrations.RunSQL(FORWARD, REVERSE),
        migrations.RunSQL(
            "ALTER TABLE contacts_pointofcontactgrant ALTER COLUMN group_id SET STATISTICS 1000;",
            "ALTER TABLE contacts_pointofcontactgrant ALTER COLUMN group_id SET STATISTICS -1;",
        ),
    ]
