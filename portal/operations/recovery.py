"""Bring back one organization's deleted records from a backup restored into a scratch database.

The whole-database restore would undo everyone's work since the backup; this copies back only the records of one
organization (of one submission kind: programs, points of contact) that the scratch database has and the live one
no longer has, with what hangs on them — their many-to-many rows (audience's `shared_with`, thematic areas,
regions, tags), the rows deleted with them (partners, documents) and the documents' files — as they were. The rows
travel as PostgreSQL's own COPY text, column by column by name, so every type comes back exactly; the live
database's constraints and sharing guards check them as they arrive. The grant index is not copied but rebuilt
from the restored records' state and audience (`grants_rebuild`), in the same transaction. Files are copied
before the rows are written and removed again if the transaction fails: nothing is left half-done.

docs/deployment.md ("Restoring one organization's accidentally deleted records") is the procedure around it.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, models, transaction
from psycopg2 import sql

from confidentiality.kinds import SubmissionKind
from confidentiality.models import GrantBase
from confidentiality.services import grants_rebuild
from contacts.kinds import CONTACT
from iros.models import Organization
from portal.operations.backup import BackupError, Target, documents_root, safe_member
from programs.kinds import PROGRAM


@dataclass
class Part:
    """One table of a kind's records: the rows whose `column` names one of the records."""

    table: str
    column: str
    files: list[str] = field(default_factory=list)  # its FileField columns


@dataclass
class RecoveryPlan:
    model: type[models.Model]
    organization: str
    ids: list[int]
    labels: dict[int, str]
    parts: list[Part]


def record_parts(model: type[models.Model]) -> list[Part]:
    """The record's own table, then every table that hangs on it and goes when it is deleted (grants aside)."""
    parts = [Part(model._meta.db_table, model._meta.pk.column, _file_columns(model))]
    for many in model._meta.many_to_many:
        through = many.remote_field.through
        parts.append(Part(through._meta.db_table, many.m2m_column_name(), _file_columns(through)))
    for relation in model._meta.related_objects:
        related = relation.related_model
        if relation.many_to_many or relation.on_delete is not models.CASCADE or issubclass(related, GrantBase):
            continue  # kept (SET_NULL, PROTECT) or rebuilt (grants), not deleted with the record
        parts.append(Part(related._meta.db_table, relation.field.column, _file_columns(related)))
    unique: dict[str, Part] = {}
    for part in parts:
        unique.setdefault(part.table, part)
    return list(unique.values())


def _file_columns(model: type[models.Model]) -> list[str]:
    return [field.column for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


# The submission kinds whose records can be recovered, by the name the command takes.
KINDS: dict[str, SubmissionKind] = {"programs": PROGRAM, "contacts": CONTACT}


def recovery_plan(*, source: Target, kind: SubmissionKind, organization: str) -> RecoveryPlan:
    """Which records of `organization` the source has and the live database no longer has."""
    if not Organization.objects.filter(acronym=organization).exists():
        raise BackupError(f"No organization {organization!r} in the live database.")
    model = kind.model
    owner_column = model._meta.get_field("organization").column
    label_column = model._meta.get_field(kind.name_field).column
    with _source_cursor(source) as cursor:
        cursor.execute(
            sql.SQL(
                "SELECT r.{pk}, r.{label} FROM {table} r JOIN {organizations} o ON o.id = r.{owner} "
                "WHERE o.acronym = %s ORDER BY r.{pk}"
            ).format(
                pk=sql.Identifier(model._meta.pk.column),
                label=sql.Identifier(label_column),
                table=sql.Identifier(model._meta.db_table),
                organizations=sql.Identifier(Organization._meta.db_table),
                owner=sql.Identifier(owner_column),
            ),
            [organization],
        )
        then = dict(cursor.fetchall())
    still_there = set(model._base_manager.filter(pk__in=list(then)).values_list("pk", flat=True))
    ids = [pk for pk in then if pk not in still_there]
    return RecoveryPlan(
        model=model,
        organization=organization,
        ids=ids,
        labels={pk: then[pk] for pk in ids},
        parts=record_parts(model),
    )


@contextmanager
def _source_cursor(source: Target) -> Iterator:
    """A read-only cursor on the scratch database."""
    scratch = source.connect()
    scratch.set_session(readonly=True)
    try:
        with scratch.cursor() as cursor:
            yield cursor
    finally:
        scratch.rollback()
        scratch.close()


def recovery_apply(*, plan: RecoveryPlan, source: Target, source_documents: Path) -> dict[str, int]:
    """Copy the plan's records back into the live database (and their files into the live storage).

    One transaction: the rows, then the grant index rebuilt for them. Returns the rows copied per table.
    """
    if not plan.ids:
        return {}
    copied: dict[str, int] = {}
    written_files: list[Path] = []
    root = documents_root()
    try:
        with _source_cursor(source) as source_cursor, transaction.atomic():
            for part in plan.parts:
                columns = _columns(source_cursor, part.table)
                with connection.cursor() as live:
                    live_columns = {
                        column.name for column in connection.introspection.get_table_description(live, part.table)
                    }
                missing = [column for column in columns if column not in live_columns]
                if missing:
                    raise BackupError(
                        f"{part.table} has columns the live database lacks ({', '.join(missing)}): run `migrate` "
                        f"on the scratch database first, so that both have the same schema."
                    )
                if part.files:
                    written_files += _copy_files(source_cursor, part, plan.ids, source_documents, root)
                buffer = io.StringIO()
                source_cursor.copy_expert(
                    sql.SQL("COPY (SELECT {columns} FROM {table} WHERE {column} = ANY({ids})) TO STDOUT")
                    .format(
                        columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
                        table=sql.Identifier(part.table),
                        column=sql.Identifier(part.column),
                        ids=sql.Literal(plan.ids),
                    )
                    .as_string(source_cursor.connection),
                    buffer,
                )
                copied[part.table] = buffer.getvalue().count("\n")
                buffer.seek(0)
                quote = connection.ops.quote_name
                with connection.cursor() as live:
                    live.copy_expert(f"COPY {quote(part.table)} ({', '.join(map(quote, columns))}) FROM STDIN", buffer)
            grants_rebuild(plan.model, queryset=plan.model._base_manager.filter(pk__in=plan.ids))
    except BaseException:
        for path in written_files:
            path.unlink(missing_ok=True)
        raise
    return copied


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        # Generated columns (the programs' search document) cannot be copied: the live database computes them.
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]


def _copy_files(cursor, part: Part, ids: list[int], source_documents: Path, root: Path) -> list[Path]:
    written = []
    for column in part.files:
        cursor.execute(
            sql.SQL("SELECT {file} FROM {table} WHERE {column} = ANY(%s) AND {file} <> ''").format(
                file=sql.Identifier(column), table=sql.Identifier(part.table), column=sql.Identifier(part.column)
            ),
            [ids],
        )
        for (name,) in cursor.fetchall():
            source, destination = source_documents / safe_member(name), root / safe_member(name)
            if not source.is_file():
                raise BackupError(f"The scratch documents directory has no {name}: nothing was recovered.")
            if destination.exists():
                continue  # never overwrite a live file (it is the same stored name: the same content)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
            written.append(destination)
    return written
