"""Spreadsheets to upload in import tests, and the API call that imports them."""

from __future__ import annotations

import csv
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

CONTRACT_KEYS = {"dry_run", "created", "updated", "unchanged", "errors"}


def csv_file(rows: list[dict], *, header: list[str] | None = None, name: str = "import.csv") -> SimpleUploadedFile:
    """A CSV upload: `rows` as dicts keyed by header (missing cells blank)."""
    header = header or list(dict.fromkeys(key for row in rows for key in row)) or ["Title"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(lines: list[list], *, title: str, name: str = "import.xlsx", extra_sheets=()) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for line in lines:
        sheet.append(line)
    for extra in extra_sheets:
        workbook.create_sheet(extra)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def macro_workbook(title: str) -> SimpleUploadedFile:
    buffer = io.BytesIO(xlsx_file([["A"], ["x"]], title=title).read())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    return SimpleUploadedFile("import.xlsx", buffer.getvalue())


def import_url(slug: str) -> str:
    return f"/api/v1/imports/{slug}/"


def post_import(client, slug: str, file, *, dry_run: bool, **data):
    data |= {"file": file, "dry_run": "true" if dry_run else "false"}
    return client.post(import_url(slug), data, format="multipart")


def counts(response) -> tuple:
    body = response.json()
    return body["created"], body["updated"], body["unchanged"]
