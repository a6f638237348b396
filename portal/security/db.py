"""The security log's database guard: append-only for every role, purged only past its retention."""

from confidentiality.db import no_truncate_sql

NO_TRUNCATE_SQL, NO_TRUNCATE_REVERSE_SQL = no_truncate_sql(
    name="security_event", table="security_securityevent", what="the security log"
)

ROW_GUARD_SQL = """
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
"""
APPEND_ONLY_SQL = ROW_GUARD_SQL + NO_TRUNCATE_SQL

APPEND_ONLY_REVERSE_SQL = (
    NO_TRUNCATE_REVERSE_SQL
    + """
DROP TRIGGER IF EXISTS security_event_append_only ON security_securityevent;
DROP FUNCTION IF EXISTS security_event_guard();
"""
)
