"""The one export writer: a `Sheet` (a header, rows, an optional footer) as streamed CSV lines or an XLSX workbook.

Apps only describe their columns and rows (for an import template, also the codes of coded columns); this module
turns cells into text or typed XLSX values and neutralises every text cell a spreadsheet could read as a formula
(OWASP "CSV injection"). Serve the result with `portal.kernel.downloads.attachment_response` and the content
types below.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these may be run as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_SHEET_TITLE_MAX = 31


@dataclass(frozen=True)
class Sheet:
    """One table to export. `rows` may be a generator (rows are then read once, as they are written)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    footer: Sequence | None = None

    def lines(self) -> Iterator[Sequence]:
        yield self.header
        yield from self.rows
        if self.footer is not None:
            yield self.footer


def neutralise(value):
    """Text that a spreadsheet would read as a formula gets a leading single quote; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_text(value) -> str:
    """A cell as CSV text: empty for None, yes/no, ISO dates, decimals without an exponent."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(sheet: Sheet) -> Iterator[str]:
    """The sheet as CSV, line by line (a UTF-8 byte-order mark first, so spreadsheets read accents right)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for line in sheet.lines():
        yield writer.writerow([cell_text(neutralise(value)) for value in line])


def _xlsx_value(value):
    value = neutralise(value)
    if isinstance(value, str):
        # openpyxl refuses control characters (a pasted vertical tab would fail the whole export): drop them.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_bytes(*sheets: Sheet) -> bytes:
    """One workbook, a worksheet per sheet in order; dates, numbers and booleans stay typed.

    Write-only mode keeps memory flat while rows are added.
    """
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:XLSX_SHEET_TITLE_MAX])
        for line in sheet.lines():
            worksheet.append([_xlsx_value(value) for value in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class ChoiceList:
    """The codes a template column allows (by the column's index in the header), offered as a drop-down."""

    column: int
    values: Sequence[str]


TEMPLATE_ROWS = 2000  # rows of the data sheet that carry the drop-down lists
LISTS_SHEET = "Lists"


def xlsx_template_bytes(sheet: Sheet, *, notes: Sheet, choices: Sequence[ChoiceList] = ()) -> bytes:
    """An import template: `sheet` (its header, and rows if any), a drop-down list on each coded column, then
    the `notes` sheet that explains the columns.

    The lists live on a hidden sheet (a list written into the rule itself may not exceed 255 characters). A
    value outside the list only warns: columns accept labels as well as codes, and the import judges them.
    """
    workbook = Workbook()
    data = workbook.active
    data.title = sheet.title[:XLSX_SHEET_TITLE_MAX]
    for line in sheet.lines():
        data.append([_xlsx_value(value) for value in line])
    data.freeze_panes = "A2"
    notes_sheet = workbook.create_sheet(notes.title[:XLSX_SHEET_TITLE_MAX])
    for line in notes.lines():
        notes_sheet.append([_xlsx_value(value) for value in line])
    if choices:
        lists = workbook.create_sheet(LISTS_SHEET)
        lists.sheet_state = "hidden"
        for position, choice in enumerate(choices, start=1):
            letter = get_column_letter(position)
            for row, value in enumerate(choice.values, start=1):
                lists.cell(row=row, column=position, value=_xlsx_value(value))
            rule = DataValidation(
                type="list",
                formula1=f"{LISTS_SHEET}!${letter}$1:${letter}${max(len(choice.values), 1)}",
                allow_blank=True,
                errorStyle="warning",
            )
            data.add_data_validation(rule)
            target = get_column_letter(choice.column + 1)
            rule.add(f"{target}2:{target}{TEMPLATE_ROWS}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
