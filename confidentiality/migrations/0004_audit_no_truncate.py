from django.db import migrations

from confidentiality.db import NO_TRUNCATE_AUDIT_REVERSE_SQL, NO_TRUNCATE_AUDIT_SQL


class Migration(migrations.Migration):
    dependencies = [("confidentiality", "0003_guards_and_groups")]

    operations = [migrations.RunSQL(NO_TRUNCATE_AUDIT_SQL, NO_TRUNCATE_AUDIT_REVERSE_SQL)]
