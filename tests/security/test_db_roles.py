"""The application's database role, connected to for real: it reads and writes rows, only appends to the sharing
audit and the security log, creates nothing and is no superuser; provisioning it twice changes nothing."""

import uuid
from contextlib import contextmanager

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg2 import errors, sql

from tests.factories import OrganizationFactory

# Committed: the role's own connection must see the grants and the rows. The command runs on the owner's alias.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "migration"])


@pytest.fixture
def app_role(transactional_db):
    # Roles belong to the whole server, shared by every test database on it: a name no other run uses.
    name = f"portal_app_{uuid.uuid4().hex[:12]}"
    yield name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        if cursor.fetchone():
            cursor.execute(sql.SQL("DROP OWNED BY {0}; DROP ROLE {0}").format(sql.Identifier(name)))


@contextmanager
def connected_as(role: str):
    database = connection.settings_dict
    conn = psycopg2.connect(dbname=database["NAME"], host=database["HOST"], port=database["PORT"], user=role)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


def _privileges(role: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, privilege_type FROM information_schema.role_table_grants WHERE grantee = %s"
            " UNION ALL SELECT 'schema public', 'CREATE' WHERE has_schema_privilege(%s, 'public', 'CREATE')"
            " UNION ALL SELECT 'default acl', defaclacl::text FROM pg_default_acl"
            " WHERE defaclacl::text LIKE %s ORDER BY 1, 2",
            [role, role, f"%{role}=%"],
        )
        return cursor.fetchall()


def test_the_app_role_reads_and_writes_rows_and_appends_to_the_audit_and_the_log(app_role):
    # given
    organization = OrganizationFactory()
    call_command("provision_db_roles", app_role=app_role)
    # when / then: nothing below is refused
    with connected_as(app_role) as cursor:
        cursor.execute("SELECT count(*) FROM programs_program")
        cursor.execute("INSERT INTO auth_group (name) VALUES ('written by the app role') RETURNING id")
        group_id = cursor.fetchone()[0]
        cursor.execute("UPDATE auth_group SET name = 'renamed by the app role' WHERE id = %s", [group_id])
        cursor.execute("DELETE FROM auth_group WHERE id = %s", [group_id])
        cursor.execute(
            "INSERT INTO confidentiality_sharingaudit (record_type, record_id, organization_id, at, action,"
            " old_state, new_state, old_audience, new_audience, old_shared_with, new_shared_with)"
            " VALUES ('programs.program', 1, %s, now(), 'submit', 'draft', 'submitted', 'committee', 'committee',"
            " '{}', '{}')",
            [organization.pk],
        )
        cursor.execute(
            "INSERT INTO security_securityevent (at, kind, username, user_agent, details)"
            " VALUES (now(), 'sign_in', 'someone', '', '{}')"
        )
        cursor.execute("SELECT count(*) FROM confidentiality_sharingaudit")
        assert cursor.fetchone() == (1,)
        cursor.execute("SELECT rolsuper, rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = user")
        assert cursor.fetchone() == (False, False, False, True)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE confidentiality_sharingaudit SET new_audience = 'public'",
        "DELETE FROM confidentiality_sharingaudit",
        "TRUNCATE confidentiality_sharingaudit",
        "UPDATE security_securityevent SET username = 'someone else'",
        "DELETE FROM security_securityevent",
        "TRUNCATE security_securityevent",
        "TRUNCATE programs_program CASCADE",
        "ALTER TABLE confidentiality_sharingaudit DISABLE TRIGGER USER",
        "DROP TRIGGER security_event_no_truncate ON security_securityevent",
        "CREATE TABLE public.made_by_the_app_role (id integer)",
        "CREATE SCHEMA made_by_the_app_role",
    ],
)
def test_the_app_role_cannot_change_the_audit_the_log_or_the_schema(app_role, statement):
    call_command("provision_db_roles", app_role=app_role)

    # Refused by the privileges themselves (the audit's and the log's triggers say "append-only" instead).
    refused = pytest.raises(errors.InsufficientPrivilege, match="permission denied|must be owner")
    with connected_as(app_role) as cursor, refused:
        cursor.execute(statement)


def test_provisioning_twice_changes_nothing(app_role):
    call_command("provision_db_roles", app_role=app_role)
    first = _privileges(app_role)

    call_command("provision_db_roles", app_role=app_role)

    assert _privileges(app_role) == first
    assert ("confidentiality_sharingaudit", "INSERT") in first
    assert ("confidentiality_sharingaudit", "UPDATE") not in first
    assert ("schema public", "CREATE") not in first


def test_provisioning_takes_back_what_the_role_was_given_beyond_its_needs(app_role):
    # given: a role someone made a superuser and gave every right on the audit and the schema
    with connection.cursor() as cursor:
        name = sql.Identifier(app_role)
        cursor.execute(sql.SQL("CREATE ROLE {} LOGIN SUPERUSER CREATEDB").format(name))
        cursor.execute(sql.SQL("GRANT ALL ON confidentiality_sharingaudit TO {}").format(name))
        cursor.execute(sql.SQL("GRANT CREATE ON SCHEMA public TO {}").format(name))
    # when
    call_command("provision_db_roles", app_role=app_role)
    # then
    with connected_as(app_role) as cursor:
        cursor.execute("SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = %s", [app_role])
        assert cursor.fetchone() == (False, False)
        with pytest.raises(errors.InsufficientPrivilege):
            cursor.execute("DELETE FROM confidentiality_sharingaudit")
        with pytest.raises(errors.InsufficientPrivilege):
            cursor.execute("CREATE TABLE public.made_by_the_app_role (id integer)")


def test_a_prompted_password_is_stored_hashed(app_role, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: "a-database-password")

    call_command("provision_db_roles", app_role=app_role, prompt_password=True)

    with connection.cursor() as cursor:
        cursor.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", [app_role])
        stored = cursor.fetchone()[0]
    assert stored.startswith(("SCRAM-SHA-256$", "md5"))
    assert "a-database-password" not in stored


def test_the_owner_cannot_be_made_the_app_role():
    # Tests have one URL: DATABASE_URL's user is the owner, so the role must be named, and not as the owner.
    with pytest.raises(CommandError, match="--app-role"):
        call_command("provision_db_roles")
    with pytest.raises(CommandError, match="must not be the owner"):
        call_command("provision_db_roles", app_role=connection.settings_dict["USER"])


def test_a_role_that_owns_a_table_is_refused_and_left_as_it_was(app_role):
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(app_role)))
        cursor.execute(sql.SQL("CREATE TABLE owned_by_the_app_role (id integer)"))
        cursor.execute(sql.SQL("ALTER TABLE owned_by_the_app_role OWNER TO {}").format(sql.Identifier(app_role)))

    with pytest.raises(CommandError, match="owns owned_by_the_app_role"):
        call_command("provision_db_roles", app_role=app_role)

    assert {table for table, _ in _privileges(app_role)} == {"owned_by_the_app_role"}  # an owner's own rights
