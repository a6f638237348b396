"""Planner costs for a cached database, so small organizations' lists start from their grants.

PostgreSQL's default `random_page_cost = 4` prices every random heap read as a disk seek. The portal's data
(100,000 programs and their grant index are a few hundred megabytes) lives in memory or on SSD, where a random
read costs little more than a sequential one. With the default, the planner lists the first page of an
organization that sees ~1% of the programs by walking the `-updated` index and probing the grant index for
thousands of rows; priced for SSD it starts from that organization's ~1,000 grant rows instead (bench/README.md
has the plans and figures). Only the planner's choices change, never a result.

`ALTER DATABASE ... SET` applies to new sessions of this database; a role that does not own the database is
told so with a NOTICE and the setting is left to the server configuration.
"""

from django.db import migrations

FORWARD = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET random_page_cost = 1.1', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'random_page_cost not set on this database (not its owner): set it in postgresql.conf';
END $$;
"""

REVERSE = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I RESET random_page_cost', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_sharing_guards")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
