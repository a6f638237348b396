"""The security log's database guard: append-only for every role, purged only past its retention."""

APPEND_ONLY_SQL = """
CREATE FUNCTION security_event_guard() RETURNS trigger AS $$
DECLARE
    keep_days integer := greatest(
        coalesce(nullif(current_setting('portal.security_log_retention_days', true), '')::integer, 400), 30
    );
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - make_interval(days => keep_days) THEN
        RETURN OLD;  -- past the retention period: the purge may remove it
    END IF;
    RAISE EXCEPTION 'the security log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER security_event_append_only BEFORE UPDATE OR DELETE ON security_securityevent
    FOR EACH ROW EXECUTE FUNCTION security_event_guard();

CREATE FUNCTION security_event_no_truncate() RETURNS trigger AS $$
BEGIN
    -- The table's owner (migrations, maintenance, a test run's flush) may; anyone else, the application's own
    -- role first, may not — on top of the application role holding no TRUNCATE privilege at all.
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the security log cannot be truncated' USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER security_event_no_truncate BEFORE TRUNCATE ON security_securityevent
    FOR EACH STATEMENT EXECUTE FUNCTION security_event_no_truncate();
"""

APPEND_ONLY_REVERSE_SQL = """
DROP TRIGGER IF EXISTS security_event_no_truncate ON security_securityevent;
DROP TRIGGER IF EXISTS security_event_append_only ON security_securityevent;
DROP FUNCTION IF EXISTS security_event_no_truncate();
DROP FUNCTION IF EXISTS security_event_guard();
"""
