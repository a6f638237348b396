"""The text search configuration `portal_text` (portal.kernel.fulltext): English stemming over `unaccent`.

`unaccent` is a trusted extension since PostgreSQL 13, so the database owner creates it without a superuser.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'portal_text') THEN
        CREATE TEXT SEARCH CONFIGURATION portal_text (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION portal_text
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
    END IF;
END
$$;
"""

DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS portal_text;"


class Migration(migrations.Migration):
    dependencies = [("iros", "0002_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
