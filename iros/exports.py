"""CSV and XLSX exports of the IGO tables: the rows and interactions the viewer may see, under the current filter.

The views hand in an `IgoTable` and an interaction queryset already read through `iros.selectors` (the
visibility policy); this module only shapes cells. Every text cell a spreadsheet could read as a formula is
neutralised (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from iros.models import Interaction
from iros.selectors import IgoTable

# A cell starting with one of these may be run as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500


def neutralise(value):
    """Text that a spreadsheet would read as a formula gets a leading single quote; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def kind_label(kind: str) -> str:
    return str(Interaction.Kind(kind).label)


def table_header(table: IgoTable) -> list[str]:
    return [_("Acronym"), _("Organization"), *(kind_label(kind) for kind in table.kinds), _("Total"), _("Last")]


def table_rows(table: IgoTable) -> Iterator[list]:
    for row in table.rows:
        yield [
            row.organization.acronym,
            row.organization.name,
            *(count for _kind, count in row.counts),
            row.total,
            row.last_date,
        ]


def table_footer(table: IgoTable) -> list:
    # Each interaction counted once, even when several of the organizations above took part in it.
    return [_("Total (distinct interactions)"), "", *(count for _kind, count in table.totals), table.total, None]


def interaction_header() -> list[str]:
    return [
        _("ID"),
        _("Date"),
        _("Precision"),
        _("Kind"),
        _("Organizations"),
        _("Summary"),
        _("Outcome"),
        _("Follow-up"),
        _("Follow-up due"),
        _("Event"),
        _("Public"),
    ]


def interaction_rows(interactions: QuerySet[Interaction]) -> Iterator[list]:
    for interaction in interactions.iterator(chunk_size=CHUNK_SIZE):
        yield [
            interaction.pk,
            interaction.date,
            interaction.date_precision,
            interaction.kind,
            " ".join(organization.acronym for organization in interaction.organizations.all()),
            interaction.summary,
            interaction.outcome,
            interaction.follow_up,
            interaction.follow_up_due,
            interaction.event.title if interaction.event_id else "",
            interaction.public,
        ]


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a streaming response."""

    def write(self, value: str) -> str:
        return value


def _csv(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A UTF-8 byte-order mark first, so spreadsheets read accents right.
    yield "\ufeff" + writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([_as_text(neutralise(cell)) for cell in row])


def table_csv_lines(table: IgoTable) -> Iterator[str]:
    rows = [*table_rows(table), table_footer(table)]
    return _csv(table_header(table), rows)


def interactions_csv_lines(interactions: QuerySet[Interaction]) -> Iterator[str]:
    return _csv(interaction_header(), interaction_rows(interactions))


def table_xlsx_bytes(table: IgoTable, interactions: QuerySet[Interaction]) -> bytes:
    """The table on a first sheet, the interactions it counts on a second (write-only mode keeps memory flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("IGO table")[:31])
    sheet.append([neutralise(cell) for cell in table_header(table)])
    for row in table_rows(table):
        sheet.append([neutralise(cell) for cell in row])
    sheet.append([neutralise(cell) for cell in table_footer(table)])

    details = workbook.create_sheet(title=_("Interactions")[:31])
    details.append([neutralise(cell) for cell in interaction_header()])
    for row in interaction_rows(interactions):
        details.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
