from django.db import migrations

from confidentiality.db import APPEND_ONLY_AUDIT_REVERSE_SQL, APPEND_ONLY_AUDIT_SQL
from confidentiality.groups import ALL_IROS_GROUP, PUBLIC_GROUP


def create_shared_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    # On the migrating (owner's) connection: the application's role may not exist yet.
    groups = Group.objects.using(schema_editor.connection.alias)
    for name in (ALL_IROS_GROUP, PUBLIC_GROUP):
        groups.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("confidentiality", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunSQL(APPEND_ONLY_AUDIT_SQL, APPEND_ONLY_AUDIT_REVERSE_SQL),
        migrations.RunPython(create_shared_groups, migrations.RunPython.noop),
    ]
