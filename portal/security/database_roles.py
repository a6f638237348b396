"""The database roles: the owner changes the schema, the application's role reads and writes rows, nothing more.

The running portal connects as the application's role (`DATABASE_URL`): it may read and write the rows of every
table, and append to the sharing audit and the security log but never change, delete or truncate them; it owns
nothing, so it can neither alter nor drop a table nor a trigger, and it cannot create any. `migrate` and
`provision_db_roles` connect as the owner (`MIGRATION_DATABASE_URL`, the `migration` alias).

Security log rows past their retention can only be purged over the owner's connection: the application's role
has no DELETE there, so a compromised portal cannot shorten the log, whatever retention it claims.
"""

from __future__ import annotations

from django.db import connections, transaction
from psycopg2 import sql
from psycopg2.extensions import encrypt_password

from confidentiality.models import SharingAudit
from portal.security.models import SecurityEvent

OWNER_DATABASE = "migration"
# Tables whose rows, once written, stay: the application's role may only INSERT and SELECT them.
APPEND_ONLY_MODELS = (SharingAudit, SecurityEvent)
ROW_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE, SELECT"
# The role's attributes, as pg_roles names them, and the value each must have.
ROLE_ATTRIBUTES = {
    "rolcanlogin": ("LOGIN", True),
    "rolsuper": ("NOSUPERUSER", False),
    "rolcreatedb": ("NOCREATEDB", False),
    "rolcreaterole": ("NOCREATEROLE", False),
    "rolreplication": ("NOREPLICATION", False),
    "rolbypassrls": ("NOBYPASSRLS", False),
}


class RoleError(Exception):
    """The role cannot be given the application's privileges as asked (nothing was changed)."""


def app_role_provision(*, role: str, password: str | None = None, using: str = OWNER_DATABASE) -> bool:
    """Create or update the login role `role` with the privileges the running portal needs, and only those.

    Runs over the owner's connection `using`, in one transaction; running it again changes nothing. A given
    `password` replaces the role's (sent already hashed, so it never reaches the server's log); without one a
    new role has none (peer, trust or certificate authentication) and an existing role keeps its own.
    Returns whether the role was created.
    """
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT current_user, current_database(), current_schema()")
        owner, database, schema = cursor.fetchone()
        if role == owner:
            raise RoleError(f"The application's role must not be the owner ({owner}) that runs migrations.")
        missing = {model._meta.db_table for model in APPEND_ONLY_MODELS} - set(
            connections[using].introspection.table_names(cursor)
        )
        if missing:
            raise RoleError(f"Tables {', '.join(sorted(missing))} do not exist yet: run `migrate` first.")
        hashed = encrypt_password(password, role, cursor.connection) if password else None
        created = _role_create_or_update(cursor, role=role, hashed_password=hashed)
        _refuse_an_owner(cursor, role=role, owner=owner, schema=schema)
        _grant_rows_only(cursor, role=role, owner=owner, database=database, schema=schema)
        cursor.execute(
            "SELECT has_schema_privilege(%s, %s, 'CREATE') OR has_database_privilege(%s, %s, 'CREATE')",
            [role, schema, role, database],
        )
        if cursor.fetchone()[0]:
            raise RoleError(
                f"{role} could still create objects in schema {schema} or database {database} (granted to PUBLIC "
                f"or through another role): revoke CREATE as the schema's or database's owner, then run this again."
            )
    return created


def _role_create_or_update(cursor, *, role: str, hashed_password: str | None) -> bool:
    name = sql.Identifier(role)
    password = sql.SQL(" PASSWORD {}").format(sql.Literal(hashed_password)) if hashed_password else sql.SQL("")
    columns = sql.SQL(", ").join(map(sql.Identifier, ROLE_ATTRIBUTES))
    cursor.execute(sql.SQL("SELECT {} FROM pg_roles WHERE rolname = %s").format(columns), [role])
    current = cursor.fetchone()
    if current is None:
        attributes = sql.SQL(" ".join(keyword for keyword, _ in ROLE_ATTRIBUTES.values()))
        cursor.execute(sql.SQL("CREATE ROLE {} {}{}").format(name, attributes, password))
        return True
    # Only what differs: a non-superuser owner may not even restate NOSUPERUSER.
    changes = [
        keyword
        for (keyword, wanted), value in zip(ROLE_ATTRIBUTES.values(), current, strict=True)
        if value is not wanted
    ]
    if changes or hashed_password:
        cursor.execute(sql.SQL("ALTER ROLE {} {}{}").format(name, sql.SQL(" ".join(changes)), password))
    return False


def _refuse_an_owner(cursor, *, role: str, owner: str, schema: str) -> None:
    """A role that owns a table, or acts with the owner's rights, could change anything: refuse it."""
    cursor.execute(
        "SELECT string_agg(relname, ', ' ORDER BY relname) FROM pg_class"
        " WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)"
        " AND relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %s)",
        [role, schema],
    )
    owned = cursor.fetchone()[0]
    if owned:
        raise RoleError(f"{role} owns {owned}: give them to the owner first (REASSIGN OWNED BY {role} TO {owner}).")
    cursor.execute("SELECT pg_has_role(%s, %s, 'USAGE')", [role, owner])
    if cursor.fetchone()[0]:
        raise RoleError(f"{role} is a member of {owner} and acts with its rights: revoke that membership first.")


def _grant_rows_only(cursor, *, role: str, owner: str, database: str, schema: str) -> None:
    """From nothing, whatever was granted before: connect, read and write rows, append to the append-only."""
    names = {
        "role": sql.Identifier(role),
        "owner": sql.Identifier(owner),
        "schema": sql.Identifier(schema),
        "database": sql.Identifier(database),
        "rows": sql.SQL(ROW_PRIVILEGES),
        "sequences": sql.SQL(SEQUENCE_PRIVILEGES),
        "append_only": sql.SQL(", ").join(sql.Identifier(schema, model._meta.db_table) for model in APPEND_ONLY_MODELS),
    }
    statements = [
        "GRANT CONNECT ON DATABASE {database} TO {role}",
        "GRANT USAGE ON SCHEMA {schema} TO {role}",
        # PostgreSQL 15 no longer lets PUBLIC create in `public`; a database made by an older one still may.
        "REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC, {role}",
        "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        "GRANT {rows} ON ALL TABLES IN SCHEMA {schema} TO {role}",
        "GRANT {sequences} ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        # Tables later migrations create get the same rights (new append-only tables join APPEND_ONLY_MODELS).
        "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT {rows} ON TABLES TO {role}",
        "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT {sequences} ON SEQUENCES TO {role}",
        "REVOKE UPDATE, DELETE, TRUNCATE ON {append_only} FROM {role}",
    ]
    for statement in statements:
        cursor.execute(sql.SQL(statement).format(**names))
