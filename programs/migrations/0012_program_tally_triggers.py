"""The program tally (`ProgramTally`) and the triggers that keep it exact.

Every write that changes a count goes through a trigger in the same statement: programs inserted or deleted
(statement triggers, so a COPY of 100,000 programs is one pass), a program's state changed (a row trigger, only
when the state changes), thematic area and region links added, removed or changed (statement triggers on the
through tables), a region moved in the tree (its programs' `region` rows are rebuilt), and a TRUNCATE (rebuilt).

Exactness under concurrent writers: the link triggers lock the programs they count (FOR NO KEY UPDATE, the lock a
state change takes), then read the programs' state and links in later statements, which in READ COMMITTED see
whatever a writer that held the lock committed. A region move locks programs and links in SHARE mode before it
rebuilds. A program whose link arrives before the program itself (deferred foreign keys) is counted by the
program's own insert trigger, which counts the links already there; a link removed after its program is skipped,
the program's delete trigger having subtracted it.
"""

from django.db import migrations, models


FORWARD = r"""
CREATE FUNCTION programs_region_ancestry() RETURNS TABLE (region_id bigint, ancestor_id bigint)
LANGUAGE sql STABLE AS $$
    -- Each region with itself and every region it lies within; UNION ends a cycle entered by hand.
    WITH RECURSIVE up(region_id, ancestor_id) AS (
        SELECT id, id FROM iros_region
        UNION
        SELECT up.region_id, r.parent_id FROM up JOIN iros_region r ON r.id = up.ancestor_id
        WHERE r.parent_id IS NOT NULL
    )
    SELECT region_id, ancestor_id FROM up
$$;

CREATE FUNCTION programs_tally_of(ids bigint[], states text[])
RETURNS TABLE (dimension text, key bigint, state text, programs bigint)
LANGUAGE sql STABLE AS $$
    -- What these programs (ids with their states) add to the tally, from their current links.
    WITH p(id, state) AS (SELECT * FROM unnest(ids, states))
    SELECT 'all', 0::bigint, p.state, count(*) FROM p GROUP BY p.state
    UNION ALL
    SELECT 'thematic_area', t.thematicarea_id, p.state, count(*)
    FROM p JOIN programs_program_thematic_areas t ON t.program_id = p.id GROUP BY 2, 3
    UNION ALL
    SELECT 'region_tag', r.region_id, p.state, count(*)
    FROM p JOIN programs_program_regions r ON r.program_id = p.id GROUP BY 2, 3
    UNION ALL
    SELECT 'region', a.ancestor_id, p.state, count(DISTINCT p.id)
    FROM p JOIN programs_program_regions r ON r.program_id = p.id
    JOIN programs_region_ancestry() a ON a.region_id = r.region_id GROUP BY 2, 3
$$;

CREATE FUNCTION programs_tally_add(ids bigint[], states text[], sign integer) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO programs_programtally (dimension, key, state, programs)
    SELECT dimension, key, state, sign * programs FROM programs_tally_of(ids, states)
    ON CONFLICT (dimension, key, state) DO UPDATE SET programs = programs_programtally.programs + EXCLUDED.programs
$$;

CREATE FUNCTION programs_tally_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
    states text[];
BEGIN
    SELECT array_agg(id ORDER BY id), array_agg(state ORDER BY id) INTO ids, states FROM programs_program;
    DELETE FROM programs_programtally;
    PERFORM programs_tally_add(coalesce(ids, '{}'), coalesce(states, '{}'), 1);
END
$$;

-- programs ------------------------------------------------------------------------------------------------

CREATE FUNCTION programs_tally_programs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
    states text[];
BEGIN
    SELECT array_agg(id ORDER BY id), array_agg(state ORDER BY id) INTO ids, states FROM added;
    PERFORM programs_tally_add(coalesce(ids, '{}'), coalesce(states, '{}'), 1);
    RETURN NULL;
END
$$;

CREATE FUNCTION programs_tally_programs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
    states text[];
BEGIN
    SELECT array_agg(id ORDER BY id), array_agg(state ORDER BY id) INTO ids, states FROM removed;
    PERFORM programs_tally_add(coalesce(ids, '{}'), coalesce(states, '{}'), -1);
    RETURN NULL;
END
$$;

CREATE FUNCTION programs_tally_program_state_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM programs_tally_add(ARRAY[OLD.id], ARRAY[OLD.state::text], -1);
    PERFORM programs_tally_add(ARRAY[NEW.id], ARRAY[NEW.state::text], 1);
    RETURN NULL;
END
$$;

CREATE TRIGGER programs_tally_insert AFTER INSERT ON programs_program
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION programs_tally_programs_inserted();
CREATE TRIGGER programs_tally_delete AFTER DELETE ON programs_program
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION programs_tally_programs_deleted();
CREATE TRIGGER programs_tally_state AFTER UPDATE OF state, id ON programs_program
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION programs_tally_program_state_changed();

-- thematic area links ---------------------------------------------------------------------------------------

CREATE FUNCTION programs_tally_areas_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM 1 FROM programs_program WHERE id IN (SELECT program_id FROM added) ORDER BY id FOR NO KEY UPDATE;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM 1 FROM programs_program WHERE id IN (SELECT program_id FROM removed) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO programs_programtally (dimension, key, state, programs)
        SELECT 'thematic_area', l.thematicarea_id, p.state, -count(*)
        FROM removed l JOIN programs_program p ON p.id = l.program_id GROUP BY 2, 3
        ON CONFLICT (dimension, key, state) DO UPDATE SET programs = programs_programtally.programs + EXCLUDED.programs;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO programs_programtally (dimension, key, state, programs)
        SELECT 'thematic_area', l.thematicarea_id, p.state, count(*)
        FROM added l JOIN programs_program p ON p.id = l.program_id GROUP BY 2, 3
        ON CONFLICT (dimension, key, state) DO UPDATE SET programs = programs_programtally.programs + EXCLUDED.programs;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER programs_tally_areas_insert AFTER INSERT ON programs_program_thematic_areas
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION programs_tally_areas_changed();
CREATE TRIGGER programs_tally_areas_delete AFTER DELETE ON programs_program_thematic_areas
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION programs_tally_areas_changed();
CREATE TRIGGER programs_tally_areas_update AFTER UPDATE ON programs_program_thematic_areas
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION programs_tally_areas_changed();

-- region links: a program counts once in each region it is tagged with or inside, so the change is the
-- difference between its regions (and the regions around them) before and after the statement ----------------

CREATE FUNCTION programs_tally_regions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed bigint[];
    before_programs bigint[];
    before_regions bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := ARRAY(SELECT DISTINCT program_id FROM added);
    ELSIF TG_OP = 'DELETE' THEN
        changed := ARRAY(SELECT DISTINCT program_id FROM removed);
    ELSE
        changed := ARRAY(SELECT program_id FROM added UNION SELECT program_id FROM removed);
    END IF;
    PERFORM 1 FROM programs_program WHERE id = ANY(changed) ORDER BY id FOR NO KEY UPDATE;
    -- The changed programs' links as they were before the statement.
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(program_id), array_agg(region_id) INTO before_programs, before_regions FROM (
            SELECT program_id, region_id FROM programs_program_regions WHERE program_id = ANY(changed)
            EXCEPT SELECT program_id, region_id FROM added
        ) AS b;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(program_id), array_agg(region_id) INTO before_programs, before_regions FROM (
            SELECT program_id, region_id FROM programs_program_regions WHERE program_id = ANY(changed)
            UNION SELECT program_id, region_id FROM removed
        ) AS b;
    ELSE
        SELECT array_agg(program_id), array_agg(region_id) INTO before_programs, before_regions FROM (
            (SELECT program_id, region_id FROM programs_program_regions WHERE program_id = ANY(changed)
             EXCEPT SELECT program_id, region_id FROM added)
            UNION SELECT program_id, region_id FROM removed
        ) AS b;
    END IF;
    WITH after_links AS (
        SELECT program_id, region_id FROM programs_program_regions WHERE program_id = ANY(changed)
    ), before_links AS (
        SELECT * FROM unnest(coalesce(before_programs, '{}'), coalesce(before_regions, '{}')) AS b(program_id, region_id)
    ), ancestry AS (
        SELECT * FROM programs_region_ancestry()
    ), after_within AS (
        SELECT DISTINCT l.program_id, a.ancestor_id FROM after_links l JOIN ancestry a ON a.region_id = l.region_id
    ), before_within AS (
        SELECT DISTINCT l.program_id, a.ancestor_id FROM before_links l JOIN ancestry a ON a.region_id = l.region_id
    ), delta (dimension, key, program_id, sign) AS (
        SELECT 'region_tag', region_id, program_id, 1
        FROM (SELECT * FROM after_links EXCEPT SELECT * FROM before_links) AS x
        UNION ALL
        SELECT 'region_tag', region_id, program_id, -1
        FROM (SELECT * FROM before_links EXCEPT SELECT * FROM after_links) AS x
        UNION ALL
        SELECT 'region', ancestor_id, program_id, 1
        FROM (SELECT * FROM after_within EXCEPT SELECT * FROM before_within) AS x
        UNION ALL
        SELECT 'region', ancestor_id, program_id, -1
        FROM (SELECT * FROM before_within EXCEPT SELECT * FROM after_within) AS x
    )
    INSERT INTO programs_programtally (dimension, key, state, programs)
    SELECT d.dimension, d.key, p.state, sum(d.sign)
    FROM delta d JOIN programs_program p ON p.id = d.program_id
    GROUP BY 1, 2, 3
    ON CONFLICT (dimension, key, state) DO UPDATE SET programs = programs_programtally.programs + EXCLUDED.programs;
    RETURN NULL;
END
$$;

CREATE TRIGGER programs_tally_regions_insert AFTER INSERT ON programs_program_regions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION programs_tally_regions_changed();
CREATE TRIGGER programs_tally_regions_delete AFTER DELETE ON programs_program_regions
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION programs_tally_regions_changed();
CREATE TRIGGER programs_tally_regions_update AFTER UPDATE ON programs_program_regions
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION programs_tally_regions_changed();

-- the region tree and TRUNCATE: rebuild ---------------------------------------------------------------------

CREATE FUNCTION programs_tally_region_tree_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM added n JOIN removed o ON o.id = n.id WHERE o.parent_id IS DISTINCT FROM n.parent_id
    ) THEN
        -- No program or link may change while every count is worked out again.
        LOCK TABLE programs_program, programs_program_regions, programs_program_thematic_areas IN SHARE MODE;
        PERFORM programs_tally_rebuild();
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION programs_tally_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM programs_tally_rebuild();
    RETURN NULL;
END
$$;

CREATE TRIGGER programs_tally_region_tree AFTER UPDATE ON iros_region
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION programs_tally_region_tree_changed();
CREATE TRIGGER programs_tally_truncate AFTER TRUNCATE ON programs_program
    FOR EACH STATEMENT EXECUTE FUNCTION programs_tally_truncated();
CREATE TRIGGER programs_tally_areas_truncate AFTER TRUNCATE ON programs_program_thematic_areas
    FOR EACH STATEMENT EXECUTE FUNCTION programs_tally_truncated();
CREATE TRIGGER programs_tally_regions_truncate AFTER TRUNCATE ON programs_program_regions
    FOR EACH STATEMENT EXECUTE FUNCTION programs_tally_truncated();

-- the programs already there
SELECT programs_tally_rebuild();
"""

BACKWARD = r"""
DROP TRIGGER programs_tally_insert ON programs_program;
DROP TRIGGER programs_tally_delete ON programs_program;
DROP TRIGGER programs_tally_state ON programs_program;
DROP TRIGGER programs_tally_truncate ON programs_program;
DROP TRIGGER programs_tally_areas_insert ON programs_program_thematic_areas;
DROP TRIGGER programs_tally_areas_delete ON programs_program_thematic_areas;
DROP TRIGGER programs_tally_areas_update ON programs_program_thematic_areas;
DROP TRIGGER programs_tally_areas_truncate ON programs_program_thematic_areas;
DROP TRIGGER programs_tally_regions_insert ON programs_program_regions;
DROP TRIGGER programs_tally_regions_delete ON programs_program_regions;
DROP TRIGGER programs_tally_regions_update ON programs_program_regions;
DROP TRIGGER programs_tally_regions_truncate ON programs_program_regions;
DROP TRIGGER programs_tally_region_tree ON iros_region;
DROP FUNCTION programs_tally_region_tree_changed();
DROP FUNCTION programs_tally_truncated();
DROP FUNCTION programs_tally_regions_changed();
DROP FUNCTION programs_tally_areas_changed();
DROP FUNCTION programs_tally_program_state_changed();
DROP FUNCTION programs_tally_programs_deleted();
DROP FUNCTION programs_tally_programs_inserted();
DROP FUNCTION programs_tally_rebuild();
DROP FUNCTION programs_tally_add(bigint[], text[], integer);
DROP FUNCTION programs_tally_of(bigint[], text[]);
DROP FUNCTION programs_region_ancestry();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0011_merge_search_document"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProgramTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "dimension",
                    models.CharField(
                        choices=[
                            ("all", "All"),
                            ("thematic_area", "Thematic Area"),
                            ("region", "Region"),
                            ("region_tag", "Region Tag"),
                        ],
                        max_length=16,
                    ),
                ),
                ("key", models.BigIntegerField(default=0, help_text="The thematic area's or region's id; 0 for ALL.")),
                ("state", models.CharField(max_length=16)),
                ("programs", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("dimension", "key", "state"), name="program_tally_unique")
                ],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
