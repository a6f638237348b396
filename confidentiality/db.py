"""Database-level guards for the sharing model, installed by migrations.

The service is the only writer, but the schema still refuses what would make the grant index lie: a
`shared_with` row on a record whose audience is not `selected`, a `shared_with` row naming the owner, a
`selected` record with nobody selected (checked at commit), and any UPDATE, DELETE or TRUNCATE of the audit.
"""


def sharing_guard_sql(*, table: str, through: str, record_column: str) -> tuple[str, str]:
    """Return (forward, reverse) SQL installing the guards for one submission table."""
    name = table
    forward = f"""
CREATE FUNCTION {name}_shared_row_guard() RETURNS trigger AS $$
DECLARE owner_id bigint; record_audience text;
BEGIN
    SELECT organization_id, audience INTO owner_id, record_audience FROM {table} WHERE id = NEW.{record_column};
    IF record_audience IS DISTINCT FROM 'selected' THEN
        RAISE EXCEPTION 'shared_with is allowed only when the audience is selected (record %)', NEW.{record_column}
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.organization_id = owner_id THEN
        RAISE EXCEPTION 'shared_with cannot contain the owner organization (record %)', NEW.{record_column}
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER {name}_shared_row_guard BEFORE INSERT OR UPDATE ON {through}
    FOR EACH ROW EXECUTE FUNCTION {name}_shared_row_guard();

CREATE FUNCTION {name}_audience_guard() RETURNS trigger AS $$
BEGIN
    IF NEW.audience <> 'selected' AND EXISTS (SELECT 1 FROM {through} WHERE {record_column} = NEW.id) THEN
        RAISE EXCEPTION 'clear shared_with before leaving the selected audience (record %)', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM {through} WHERE {record_column} = NEW.id AND organization_id = NEW.organization_id) THEN
        RAISE EXCEPTION 'shared_with cannot contain the owner organization (record %)', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER {name}_audience_guard BEFORE UPDATE OF audience, organization_id ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}_audience_guard();

CREATE FUNCTION {name}_selected_not_empty() RETURNS trigger AS $$
DECLARE checked_id bigint;
BEGIN
    IF TG_TABLE_NAME = '{through}' THEN
        checked_id := OLD.{record_column};
    ELSE
        checked_id := NEW.id;
    END IF;
    IF EXISTS (SELECT 1 FROM {table} WHERE id = checked_id AND audience = 'selected')
       AND NOT EXISTS (SELECT 1 FROM {through} WHERE {record_column} = checked_id) THEN
        RAISE EXCEPTION 'a record shared with selected organizations must name at least one (record %)', checked_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER {name}_selected_not_empty AFTER INSERT OR UPDATE OF audience ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.audience = 'selected')
    EXECUTE FUNCTION {name}_selected_not_empty();

CREATE CONSTRAINT TRIGGER {name}_selected_not_emptied AFTER DELETE ON {through}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {name}_selected_not_empty();
"""
    reverse = f"""
DROP TRIGGER IF EXISTS {name}_selected_not_emptied ON {through};
DROP TRIGGER IF EXISTS {name}_selected_not_empty ON {table};
DROP TRIGGER IF EXISTS {name}_audience_guard ON {table};
DROP TRIGGER IF EXISTS {name}_shared_row_guard ON {through};
DROP FUNCTION IF EXISTS {name}_selected_not_empty();
DROP FUNCTION IF EXISTS {name}_audience_guard();
DROP FUNCTION IF EXISTS {name}_shared_row_guard();
"""
    return forward, reverse


APPEND_ONLY_AUDIT_SQL = """
CREATE FUNCTION confidentiality_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the sharing audit is append-only' USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER confidentiality_audit_append_only BEFORE UPDATE OR DELETE ON confidentiality_sharingaudit
    FOR EACH ROW EXECUTE FUNCTION confidentiality_audit_append_only();
"""

APPEND_ONLY_AUDIT_REVERSE_SQL = """
DROP TRIGGER IF EXISTS confidentiality_audit_append_only ON confidentiality_sharingaudit;
DROP FUNCTION IF EXISTS confidentiality_audit_append_only();
"""


def no_truncate_sql(*, name: str, table: str, what: str) -> tuple[str, str]:
    """Return (forward, reverse) SQL refusing TRUNCATE of `table` to every role but its owner, with "`what` cannot
    be truncated".

    A statement-level trigger: TRUNCATE fires no row trigger, so an append-only table's row guard lets it through.
    The owner (migrations, maintenance, a test run's flush) may; any other role — the application's first, which
    also holds no TRUNCATE privilege (`provision_db_roles`) — may not, even if the privilege were granted.
    """
    forward = f"""
CREATE FUNCTION {name}_no_truncate() RETURNS trigger AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '{what} cannot be truncated' USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}_no_truncate();
"""
    reverse = f"""
DROP TRIGGER IF EXISTS {name}_no_truncate ON {table};
DROP FUNCTION IF EXISTS {name}_no_truncate();
"""
    return forward, reverse


NO_TRUNCATE_AUDIT_SQL, NO_TRUNCATE_AUDIT_REVERSE_SQL = no_truncate_sql(
    name="confidentiality_audit", table="confidentiality_sharingaudit", what="the sharing audit"
)
