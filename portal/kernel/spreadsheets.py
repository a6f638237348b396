"""Reading a spreadsheet someone uploads: a CSV or XLSX file as a header and rows, or one clear refusal.

Whatever the file holds, the answer is a `Table` or a `SpreadsheetRefused` whose message says what to change —
never a server error. Refused: files over `IMPORT_MAX_BYTES` or `IMPORT_MAX_ROWS`, text that is not UTF-8,
workbooks with macros, formulas, a password (encrypted workbooks are OLE containers, not ZIP archives) or no
sheet of the expected name, and the old binary `.xls` format.

Rows are numbered as the spreadsheet shows them (the header is row 1), so a problem reported for "row 14" is
found on row 14. CSV cells are text; XLSX cells keep their types (numbers, dates, booleans), which the columns'
parsers accept as such.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from portal.kernel.tabular import FORMULA_PREFIXES

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML workbooks and legacy .xls files
ZIP_SIGNATURE = b"PK\x03\x04"
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlsb", ".xlam")
CSV_DELIMITERS = (",", ";", "\t")
# Columns read at most: a header wider than any import's template is refused before its rows are read.
MAX_COLUMNS = 200
# Blank rows tolerated on top of the row limit (formatted but empty rows at the end of a sheet are common).
BLANK_ROWS_ALLOWED = 1000


class SpreadsheetRefused(Exception):
    """The file cannot be imported; `message` says why (and `row`, `column` where, when it is one place)."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass(frozen=True)
class Table:
    """The header's cells (stripped text) and each non-blank row as (its row number, its cells, one per header)."""

    header: list[str]
    rows: list[tuple[int, list]]


def read_table(
    file, *, filename: str, sheet_titles: Sequence[str] = (), max_bytes: int | None = None, max_rows: int | None = None
) -> Table:
    """The table in an uploaded CSV or XLSX `file` (an open binary file); `sheet_titles`: the names the data
    sheet of a workbook may have (a workbook of one sheet needs none)."""
    max_bytes = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SpreadsheetRefused(_("The file is larger than %(mb)s MB: split it into smaller files.") % _mb(max_bytes))
    if not data.strip():
        raise SpreadsheetRefused(_("The file is empty."))
    extension = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if extension in MACRO_EXTENSIONS:
        raise SpreadsheetRefused(_("Workbooks with macros are refused: save the sheet as .xlsx (without macros)."))
    if data.startswith(OLE_SIGNATURE):
        raise SpreadsheetRefused(
            _(
                "This is a password-protected workbook or an old .xls file: remove the password and save it as "
                ".xlsx, or save it as CSV UTF-8."
            )
        )
    if data.startswith(ZIP_SIGNATURE):
        lines = _xlsx_lines(data, sheet_titles)
    elif extension in ("", ".csv", ".txt"):
        lines = _csv_lines(data)
    else:
        raise SpreadsheetRefused(_("Upload a CSV (UTF-8) or XLSX file."))
    return _table(lines, max_rows=max_rows)


def _mb(size: int) -> dict:
    return {"mb": f"{size / 2**20:g}"}


def _csv_lines(data: bytes) -> Iterator[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetRefused(
            _(
                "The file is not UTF-8 text (byte %(position)s). In Excel choose “CSV UTF-8” when saving; in "
                "LibreOffice choose the “Unicode (UTF-8)” character set."
            )
            % {"position": error.start + 1}
        ) from None
    if "\x00" in text:
        raise SpreadsheetRefused(_("The file holds binary data, not CSV text."))
    first_line = text.split("\n", 1)[0]
    # Excel writes ";" where the decimal separator is a comma, and some tools write tabs: the header tells.
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise SpreadsheetRefused(
            _("The CSV file is malformed near row %(row)s: %(error)s") % {"row": reader.line_num, "error": error}
        ) from None


def _xlsx_lines(data: bytes, sheet_titles: Sequence[str]) -> Iterator[list]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [name.lower() for name in archive.namelist()]
    except (zipfile.BadZipFile, ValueError):
        raise SpreadsheetRefused(_("The file is not a readable XLSX workbook.")) from None
    if any(name.endswith("vbaproject.bin") for name in names):
        raise SpreadsheetRefused(_("Workbooks with macros are refused: save the sheet as .xlsx (without macros)."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds of error for a damaged archive: all mean the same to the uploader
        raise SpreadsheetRefused(_("The file is not a readable XLSX workbook.")) from None
    try:
        worksheet = _data_sheet(workbook, sheet_titles)
        for cells in worksheet.iter_rows(max_col=MAX_COLUMNS):
            for cell in cells:
                if cell.data_type == "f":
                    raise SpreadsheetRefused(
                        _("Cell %(cell)s holds a formula: copy the sheet and paste values only.")
                        % {"cell": cell.coordinate},
                        row=cell.row,
                    )
            yield [cell.value for cell in cells]
    finally:
        workbook.close()


def _data_sheet(workbook, sheet_titles: Sequence[str]):
    wanted = {title.casefold() for title in sheet_titles}
    for worksheet in workbook.worksheets:
        if worksheet.title.casefold() in wanted:
            return worksheet
    if len(workbook.worksheets) == 1:
        return workbook.worksheets[0]
    raise SpreadsheetRefused(
        _("The workbook has no sheet named “%(expected)s” (its sheets: %(sheets)s).")
        % {
            "expected": sheet_titles[0] if sheet_titles else "",
            "sheets": ", ".join(worksheet.title for worksheet in workbook.worksheets),
        }
    )


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def unneutralise(value):
    """Undo `tabular.neutralise`: an exported "'=text" reads back as "=text" (as text, never as a formula)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _cell(value):
    return unneutralise(value.strip()) if isinstance(value, str) else value


def _table(lines: Iterable[list], *, max_rows: int) -> Table:
    header: list[str] | None = None
    rows: list[tuple[int, list]] = []
    blank_rows = 0
    for number, cells in enumerate(lines, start=1):
        if all(_blank(value) for value in cells):
            blank_rows += 1
            if blank_rows > max_rows + BLANK_ROWS_ALLOWED:
                break
            continue
        if header is None:
            header = _header(cells, row=number)
            continue
        if len(rows) == max_rows:
            raise SpreadsheetRefused(
                _("The file has more than %(max)s rows: split it into smaller files.") % {"max": max_rows}
            )
        extra = [index for index, value in enumerate(cells) if index >= len(header) and not _blank(value)]
        if extra:
            raise SpreadsheetRefused(
                _("Row %(row)s has a value in column %(column)s, which has no name in the header row.")
                % {"row": number, "column": get_column_letter(extra[0] + 1)},
                row=number,
            )
        cells = list(cells[: len(header)]) + [None] * (len(header) - len(cells))
        rows.append((number, [_cell(value) for value in cells]))
    if header is None:
        raise SpreadsheetRefused(_("The file is empty."))
    return Table(header=header, rows=rows)


def _header(cells: list, *, row: int) -> list[str]:
    names = ["" if _blank(value) else str(value).strip() for value in cells]
    while names and not names[-1]:
        names.pop()
    if len(names) >= MAX_COLUMNS:
        raise SpreadsheetRefused(_("The header row has too many columns."), row=row)
    for index, name in enumerate(names):
        if not name:
            raise SpreadsheetRefused(
                _("Column %(column)s has no name in the header row.") % {"column": get_column_letter(index + 1)},
                row=row,
            )
    return names
