"""The import engine: a kind of record describes its columns and how one row is written; this runs the rows.

A kind (`ImportKind`) plugs in with a column spec (`Column`: the header, how a cell is read, what the notes say
and which codes it allows) and `write()`, which hands one row's values to the app's services and answers what
happened (created, updated, unchanged); `KeyedImportKind` writes that once for records a row names by ID or by
an external key. The engine matches the header to the columns (labels in the user's language, in English or in
any language of the portal, or the codes), reads every cell (`portal.kernel.cells`), refuses duplicate keys,
and writes every row inside one transaction, each row in its own savepoint, so that a row's problems are
reported and the next row still checked. It then commits only when the run is not a dry run and no row had a
problem: all or nothing, and a dry run is the very same run rolled back (every rule of the services, the
database constraints included, judged it). `import_file` reads an upload first; `template_response` serves a
kind's template (CSV, or XLSX with notes and drop-down lists).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Manager
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.kernel import tabular
from portal.kernel.cells import id_reader, read_text
from portal.kernel.downloads import attachment_response
from portal.kernel.spreadsheets import SpreadsheetRefused, Table, read_table


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Column:
    """One column of an import. `parse` turns a cell (text, number, date or None) into the value `write()`
    receives, or raises a ValidationError; a column without `parse` is exported but ignored on import."""

    key: str
    header: Any  # a (lazy) translatable label: the template's header in the user's language
    notes: Any = ""
    parse: Callable[[Any], Any] | None = None
    choices: Callable[[], Sequence[tuple[str, str]]] | None = None  # (code, label) the column allows
    multiple: bool = False  # several values separated by ";"
    required: bool = False  # the header must be in the file

    @property
    def label(self) -> str:
        return str(self.header)


def columns_from(headers: Sequence[tuple[str, Any]], rules: dict[str, dict]) -> list[Column]:
    """The columns in the order of `headers` ((key, header), often an export's), each with its `rules`.

    A header without rules, or rules without a header, is the code's mistake: it fails here, on the first use,
    rather than as a column silently ignored in somebody's file.
    """
    keys = [key for key, _header in headers]
    if set(keys) != set(rules) or len(keys) != len(set(keys)):
        raise ImproperlyConfigured(
            f"Import columns and their rules differ: no rules for {sorted(set(keys) - set(rules))}, "
            f"no column for {sorted(set(rules) - set(keys))}."
        )
    return [Column(key, header, **rules[key]) for key, header in headers]


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's row number (the header is 1); None for the file as a whole
    column: str | None  # the column's header as the file names it; None for the row or file as a whole
    message: str

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class RowOutcome:
    row: int
    action: Action | None  # None: the row has problems
    label: str = ""  # what names the record to people (its title)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    def count(self, action: Action) -> int:
        return sum(1 for outcome in self.rows if outcome.action == action)

    def as_json(self) -> dict:
        """The API's answer. Counts are what the dry run would do, or what the import did (none when refused)."""
        counted = self.dry_run or self.written
        return {
            "dry_run": self.dry_run,
            "created": self.count(Action.CREATE) if counted else 0,
            "updated": self.count(Action.UPDATE) if counted else 0,
            "unchanged": self.count(Action.UNCHANGED) if counted else 0,
            "errors": [problem.as_json() for problem in self.problems],
        }


class ImportKind:
    """What one kind of record needs to be imported. Subclasses set `sheet_title` and implement the methods
    (`KeyedImportKind` implements most of them for records named by an ID or a key)."""

    sheet_title: Any = ""  # the data sheet's name in the template (a lazy translatable string)
    file_stem: str = "import"  # the template's file name: <stem>-template.csv

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def key_of(self, values: dict) -> Hashable | None:
        """What identifies the row's record (None: a new record without a key); two rows may not share it."""
        raise NotImplementedError

    def key_column(self, values: dict) -> str | None:
        """The column a refusal of the row (PermissionDenied) or a repeated key is reported on."""
        raise NotImplementedError

    def write(self, values: dict) -> tuple[Action, str]:
        """Write one row through the services; the action taken and the record's name. Raises ValidationError
        keyed by column key, or PermissionDenied."""
        raise NotImplementedError

    def sheet_titles(self) -> list[str]:
        """The data sheet's name in the user's language, then in English and every other language of the portal (a
        workbook may come from a colleague who works in another)."""
        titles = [str(self.sheet_title)]
        for language in other_languages():
            with translation.override(language):
                titles.append(str(self.sheet_title))
        return list(dict.fromkeys(titles))


class KeyedImportKind(ImportKind):
    """Records a row names by the portal's ID (column `id`) or by an external key (column `external_key`, unique
    within the record's owner, `owner_key()`), else a new record; re-importing a file changes nothing.

    `write()` is written once here: the existing record (`existing()`), or a new one (`create()`); an existing one
    is checked (`check_update()`), compared field by field (`same()`) and updated (`update()`) only when a value
    differs. Subclasses implement those hooks through their app's selectors and services.
    """

    # Columns whose blank cell means "as it is" (a new record: the service's default), never "empty".
    keep_when_blank: tuple[str, ...] = ()
    # Fields judged together by the service: when one of a group changes, the whole group is passed.
    changed_together: tuple[tuple[str, ...], ...] = ()
    # Values the row uses to find its record, never passed to the services as fields.
    identifying: tuple[str, ...] = ("id",)
    # The column a refused row is reported on when it has neither an ID nor a key.
    fallback_key_column: str | None = None
    # Sentences naming the kind, set by every subclass: the ID and Key columns' problem and notes, and an ID the
    # importer may not see (`%(id)s`).
    id_problem: Any
    id_notes: Any
    key_notes: Any
    unknown_id: Any = gettext_lazy("Unknown ID %(id)s.")

    def identity_rules(self) -> dict[str, dict]:
        """The rules of the `id` and `external_key` columns."""
        return {
            "id": {"parse": id_reader(str(self.id_problem)), "notes": str(self.id_notes)},
            "external_key": {"parse": read_text, "notes": str(self.key_notes)},
        }

    def get_visible(self, record_id: int):
        """The record of this ID if the importer may see it; Http404 otherwise."""
        raise NotImplementedError

    def visible_by_id(self, record_id: int):
        """The record of this ID, or the row's problem on its ID column."""
        try:
            return self.get_visible(record_id)
        except Http404:
            # A hidden record reads exactly like a missing one.
            raise ValidationError({"id": str(self.unknown_id) % {"id": record_id}}) from None

    def owner_key(self, values: dict) -> Hashable | None:
        """Within what the external key is unique (an organization's pk; None: the whole portal)."""
        return None

    def key_of(self, values: dict) -> Hashable | None:
        if values.get("id") is not None:
            return ("id", values["id"])
        if values.get("external_key"):
            return ("key", self.owner_key(values), values["external_key"])
        return None

    def key_column(self, values: dict) -> str | None:
        if values.get("id") is not None:
            return "id"
        return "external_key" if values.get("external_key") else self.fallback_key_column

    def existing(self, values: dict):
        """The record the row names (one the importer may see; ValidationError on `id` for another), or None."""
        raise NotImplementedError

    def create(self, values: dict, fields: dict):
        raise NotImplementedError

    def check_update(self, record, values: dict) -> None:
        """Raise a ValidationError when the row may not change `record` (before anything is compared)."""

    def update(self, record, changes: dict) -> None:
        raise NotImplementedError

    def same(self, record, key: str, value) -> bool:
        """Whether `record` holds `value` in `key` already; a many-to-many holds the same records in any order
        (override for lists of codes and other relations)."""
        current = getattr(record, key)
        if isinstance(current, Manager):
            return {item.pk for item in value} == {item.pk for item in current.all()}
        return current == value

    def name_of(self, record) -> str:
        return str(record)

    def fields_of(self, values: dict) -> dict:
        return {
            key: value
            for key, value in values.items()
            if key not in self.identifying and not (key in self.keep_when_blank and value is None)
        }

    def write(self, values: dict) -> tuple[Action, str]:
        record = self.existing(values)
        fields = self.fields_of(values)
        if record is None:
            return Action.CREATE, self.name_of(self.create(values, fields))
        self.check_update(record, values)
        changes = {key: value for key, value in fields.items() if not self.same(record, key, value)}
        if not changes:
            return Action.UNCHANGED, self.name_of(record)
        for group in self.changed_together:
            if any(key in changes for key in group):
                changes |= {key: fields[key] for key in group if key in fields}
        self.update(record, changes)
        return Action.UPDATE, self.name_of(record)


def _normal(name: str) -> str:
    return " ".join(str(name).replace("_", " ").split()).casefold()


def other_languages() -> list[str]:
    """English, then every other language of the portal: what a file's words may be in, after the user's own."""
    codes = [code for code, _name in settings.LANGUAGES]
    return ["en", *(code for code in codes if code != "en")]


def header_names(kind: ImportKind) -> dict[str, Column]:
    """Every name a header cell may give a column of `kind`: its code, its label in the user's language, then in
    English and in every other language of the portal (the first language to use a name keeps it)."""
    columns = kind.columns()
    names = {}
    for column in columns:
        names.setdefault(_normal(column.key), column)
        names.setdefault(_normal(column.label), column)
    by_key = {column.key: column for column in columns}
    for language in other_languages():
        with translation.override(language):
            for column in kind.columns():
                names.setdefault(_normal(column.label), by_key[column.key])
    return names


def match_header(header: Sequence[str], kind: ImportKind) -> tuple[dict[int, Column], list[Problem]]:
    """Which column each header cell names; unknown, repeated and missing required columns are problems."""
    names = header_names(kind)
    matched: dict[int, Column] = {}
    problems = []
    seen: dict[str, str] = {}
    for index, text in enumerate(header):
        column = names.get(_normal(text))
        if column is None:
            message = _("Unknown column “%(name)s”: use the template's headers.") % {"name": text}
            problems.append(Problem(1, text, message))
        elif column.key in seen:
            problems.append(
                Problem(1, text, _("This column is given twice (also as “%(name)s”).") % {"name": seen[column.key]})
            )
        else:
            seen[column.key] = text
            matched[index] = column
    for column in {column.key: column for column in names.values()}.values():
        if column.required and column.key not in seen:
            problems.append(Problem(1, column.label, _("The column “%(name)s” is missing.") % {"name": column.label}))
    return matched, problems


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {key: list(ValidationError(errors).messages) for key, errors in error.error_dict.items()}
    return {NON_FIELD_ERRORS: list(error.messages)}


class ImportCancelled(Exception):
    """Raised by a `progress` callback to stop an import: its transaction rolls back, nothing is written."""


def import_table(
    kind: ImportKind, table: Table, *, dry_run: bool, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Read and write every row of `table` as `kind`; all or nothing, nothing at all for a dry run.

    `progress(rows_done, rows_total)` is called after each row, inside the import's transaction: it must report
    through something that transaction does not hold back (the cache), and may raise `ImportCancelled`."""
    report = ImportReport(dry_run=dry_run)
    matched, report.problems = match_header(table.header, kind)
    if report.problems:
        return report
    # A problem names the column as the file does; a field the file lacks by the template's header.
    names = {column.key: column.label for column in kind.columns()}
    names |= {column.key: table.header[index] for index, column in matched.items()}
    keys_seen: dict[Hashable, int] = {}
    with transaction.atomic():
        for number, cells in table.rows:
            outcome = _import_row(kind, matched, names, keys_seen, number, cells)
            report.rows.append(outcome)
            report.problems.extend(outcome.problems)
            if progress is not None:
                progress(len(report.rows), len(table.rows))
        report.written = not dry_run and not report.problems
        if not report.written:
            transaction.set_rollback(True)
    return report


def _import_row(kind, matched, names, keys_seen, number: int, cells: list) -> RowOutcome:
    outcome = RowOutcome(row=number, action=None)

    def problem(key: str | None, message: str) -> None:
        outcome.problems.append(Problem(number, names.get(key, key), message))

    values = {}
    for index, column in matched.items():
        if column.parse is None:
            continue
        try:
            values[column.key] = column.parse(cells[index])
        except ValidationError as error:
            for message in error.messages:
                problem(column.key, message)
    if outcome.problems:
        return outcome
    key = kind.key_of(values)
    if key is not None:
        if key in keys_seen:
            problem(kind.key_column(values), _("The same record is already in row %(row)s.") % {"row": keys_seen[key]})
            return outcome
        keys_seen[key] = number
    try:
        with transaction.atomic():
            outcome.action, outcome.label = kind.write(values)
    except ValidationError as error:
        for key_name, messages in _messages(error).items():
            for message in messages:
                problem(None if key_name == NON_FIELD_ERRORS else key_name, message)
    except PermissionDenied as error:
        problem(kind.key_column(values), str(error) or _("You may not write this record."))
    except DatabaseError:
        # The row's savepoint is rolled back; the database refused a value the checks let through.
        problem(None, _("A value is out of range or malformed."))
    if outcome.problems:
        outcome.action = None
    return outcome


def refused_report(error: SpreadsheetRefused, *, dry_run: bool) -> ImportReport:
    """The report of a file that could not be read at all."""
    return ImportReport(dry_run=dry_run, problems=[Problem(error.row, error.column, error.message)])


def import_file(
    kind: ImportKind, file, *, filename: str, dry_run: bool, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Import an uploaded CSV or XLSX file as `kind`: an `ImportReport`, never an exception for what it holds."""
    try:
        table = read_table(file, filename=filename, sheet_titles=kind.sheet_titles())
    except SpreadsheetRefused as error:
        return refused_report(error, dry_run=dry_run)
    return import_table(kind, table, dry_run=dry_run, progress=progress)


# --- the template -----------------------------------------------------------------------------------------------


def template_sheet(kind: ImportKind) -> tabular.Sheet:
    return tabular.Sheet(title=str(kind.sheet_title), header=[column.label for column in kind.columns()], rows=[])


def notes_sheet(kind: ImportKind) -> tabular.Sheet:
    """What each column takes, then the codes of every coded column."""
    rows: list[list] = []
    columns = kind.columns()
    for column in columns:
        rows.append([column.label, column.key, str(column.notes)])
    for column in columns:
        if column.choices is None:
            continue
        rows.append([])
        rows.append([_("Allowed in “%(column)s”") % {"column": column.label}, _("code"), _("label")])
        rows.extend(["", code, label] for code, label in column.choices())
    return tabular.Sheet(title=_("Notes"), header=[_("Column"), _("Code"), _("What to write")], rows=rows)


def template_choices(kind: ImportKind) -> list[tabular.ChoiceList]:
    """Drop-down lists for the single-valued coded columns (a list column holds several codes per cell)."""
    return [
        tabular.ChoiceList(column=index, values=[code for code, _label in column.choices()])
        for index, column in enumerate(kind.columns())
        if column.choices is not None and not column.multiple
    ]


def template_response(kind: ImportKind, *, extension: str):
    """The import template as a download, in the current language: the header row (CSV), or the header with
    drop-down lists on coded columns and a notes sheet (XLSX)."""
    sheet = template_sheet(kind)
    filename = f"{kind.file_stem}-template.{extension}"
    if extension == "csv":
        return attachment_response(tabular.csv_lines(sheet), filename=filename, content_type=tabular.CSV_CONTENT_TYPE)
    workbook = tabular.xlsx_template_bytes(sheet, notes=notes_sheet(kind), choices=template_choices(kind))
    return attachment_response(workbook, filename=filename, content_type=tabular.XLSX_CONTENT_TYPE)
