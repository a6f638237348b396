"""The one export writer: a `Sheet` (a header, rows, an optional footer) as streamed CSV lines or an XLSX workbook.

Apps only describe their columns and rows (for an import template, also the codes of coded columns); this module
turns cells into text or typed XLSX values and neutralises every text cell a spreadsheet could read as a formula
(OWASP "CSV injection"). Serve the result with `portal.kernel.downloads.attachment_response` and the content
types below.

A workbook reads like a table people work with: its header row is frozen and carries an autofilter, each column
is as wide as declared (`Sheet.widths`) or as its header and first rows need, and dates are dates
(`yyyy-mm-dd`), not datetimes at midnight. Labels are the apps' business (in the active language, which a
streamed CSV keeps while it is written).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice

from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these may be run as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_SHEET_TITLE_MAX = 31
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Column widths, in characters: estimated from the header and this many first rows, within these bounds.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH = 6
MAX_WIDTH = 60
WIDTH_PADDING = 2


@dataclass(frozen=True)
class Sheet:
    """One table to export. `rows` may be a generator (rows are then read once, as they are written).

    `widths`: each column's width in characters for XLSX (None, or a None entry: estimated from the content).
    """

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    footer: Sequence | None = None
    widths: Sequence[float | None] | None = None

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


def yes_no(value: bool | None) -> str:
    """A flag as the active language's "Yes" or "No" (empty when unknown), for exports people read."""
    if value is None:
        return ""
    return gettext("Yes") if value else gettext("No")


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
    """The sheet as CSV, line by line (a UTF-8 byte-order mark first, so spreadsheets read accents right).

    The lines are written while the response streams, after the view returned: in the language active now.
    """
    return _csv_lines(sheet, translation.get_language())


def _csv_lines(sheet: Sheet, language: str | None) -> Iterator[str]:
    writer = csv.writer(_Echo())
    with translation.override(language):
        yield "\ufeff"
        for line in sheet.lines():
            yield writer.writerow([cell_text(neutralise(value)) for value in line])


def _xlsx_value(value):
    value = neutralise(value)
    if isinstance(value, str):
        # openpyxl refuses control characters (a pasted vertical tab would fail the whole export): drop them.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _xlsx_cell(worksheet, value):
    """A value as written: dates carry a date format (a datetime at midnight reads as a date and a time)."""
    value = _xlsx_value(value)
    if isinstance(value, datetime):
        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def _text_width(value) -> int:
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    text = cell_text(value)
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(sheet: Sheet, sample: Sequence[Sequence]) -> list[float]:
    """Each column's width in characters: the declared one, else what its header and `sample` rows need."""
    declared = list(sheet.widths or [])
    widths = []
    for index, heading in enumerate(sheet.header):
        if index < len(declared) and declared[index] is not None:
            widths.append(float(declared[index]))
            continue
        longest = max([_text_width(heading), *(_text_width(row[index]) for row in sample if index < len(row))])
        widths.append(float(min(max(longest + WIDTH_PADDING, MIN_WIDTH), MAX_WIDTH)))
    return widths


def _write_worksheet(workbook: Workbook, sheet: Sheet) -> None:
    worksheet = workbook.create_sheet(title=sheet.title[:XLSX_SHEET_TITLE_MAX])
    rows = iter(sheet.rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    # Widths and panes go before the first row: write-only mode writes them ahead of the data.
    for position, width in enumerate(column_widths(sheet, sample), start=1):
        worksheet.column_dimensions[get_column_letter(position)].width = width
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for value in sheet.header:
        cell = WriteOnlyCell(worksheet, _xlsx_value(value))
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    count = 0
    for row in chain(sample, rows):
        worksheet.append([_xlsx_cell(worksheet, value) for value in row])
        count += 1
    if sheet.footer is not None:
        worksheet.append([_xlsx_cell(worksheet, value) for value in sheet.footer])
    if sheet.header:
        # The filter covers the header and the rows, never the footer (sorting would move the totals).
        worksheet.auto_filter.ref = f"A1:{get_column_letter(len(sheet.header))}{count + 1}"


def xlsx_bytes(*sheets: Sheet) -> bytes:
    """One workbook, a worksheet per sheet in order; dates, numbers and booleans stay typed.

    Write-only mode keeps memory flat while rows are added (only the rows that size the columns are held).
    """
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write_worksheet(workbook, sheet)
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
    note_lines = list(notes.lines())
    for line in note_lines:
        notes_sheet.append([_xlsx_value(value) for value in line])
    for worksheet, widths in ((data, column_widths(sheet, [])), (notes_sheet, column_widths(notes, note_lines))):
        for position, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(position)].width = width
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
