"""CSV and XLSX exports of the program list: the rows the viewer may see, under the current filter.

The views hand in a queryset already restricted by `programs.selectors.program_list_for`; this module only
shapes cells. `shared_with` is filled only for rows whose sharing details the viewer may see, and every text
cell that a spreadsheet could read as a formula is neutralised (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from confidentiality import policies
from programs.models import Program, ProgramPartner

# A cell starting with one of these may be run as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 1000


def neutralise(value):
    """Text that a spreadsheet would read as a formula gets a leading single quote; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def columns() -> list[tuple[str, str]]:
    """(key, header) of every exported column, in order."""
    return [
        ("id", _("ID")),
        ("organization", _("Organization")),
        ("title", _("Title")),
        ("summary", _("Summary")),
        ("status", _("Status")),
        ("state", _("State")),
        ("audience", _("Audience")),
        ("shared_with", _("Shared with")),
        ("thematic_areas", _("Thematic areas")),
        ("regions", _("Regions")),
        ("beneficiary_countries", _("Beneficiary countries")),
        ("funding_states", _("Funding states")),
        ("partners", _("Partners")),
        ("tags", _("Tags")),
        ("start_date", _("Start date")),
        ("end_date", _("End date")),
        ("budget", _("Budget")),
        ("currency", _("Currency")),
        ("assistance_on_request", _("Assistance on request")),
        ("website", _("Website")),
        ("created", _("Created")),
        ("updated", _("Updated")),
    ]


def export_queryset(queryset: QuerySet[Program]) -> QuerySet[Program]:
    """What every exported row reads, fetched in a fixed number of queries per chunk."""
    return queryset.select_related("organization").prefetch_related(
        "thematic_areas",
        "regions",
        "tags",
        "shared_with",
        Prefetch("partnerships", queryset=ProgramPartner.objects.select_related("organization")),
    )


def _local(value: datetime) -> datetime:
    # Spreadsheets know no time zones: export the portal's local wall-clock time.
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def row_values(user, program: Program) -> list:
    """One program as cell values (dates, numbers and booleans kept typed for XLSX)."""
    shared_with = ""
    if policies.can_see_sharing_details(user, program):
        shared_with = " ".join(organization.acronym for organization in program.shared_with.all())
    values = {
        "id": program.pk,
        "organization": program.organization.acronym,
        "title": program.title,
        "summary": program.summary,
        "status": program.status,
        "state": program.state,
        "audience": program.audience,
        "shared_with": shared_with,
        "thematic_areas": " ".join(area.code for area in program.thematic_areas.all()),
        "regions": " ".join(region.code for region in program.regions.all()),
        "beneficiary_countries": " ".join(program.beneficiary_countries),
        "funding_states": " ".join(program.funding_states),
        "partners": "; ".join(
            f"{partnership.organization.acronym} ({partnership.role})" for partnership in program.partnerships.all()
        ),
        "tags": "; ".join(tag.name for tag in program.tags.all()),
        "start_date": program.start_date,
        "end_date": program.end_date,
        "budget": program.budget,
        "currency": program.currency,
        "assistance_on_request": program.assistance_on_request,
        "website": program.website,
        "created": _local(program.created),
        "updated": _local(program.updated),
    }
    return [neutralise(values[key]) for key, _header in columns()]


def _rows(user, queryset: QuerySet[Program]) -> Iterator[list]:
    for program in export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
        yield row_values(user, program)


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(user, queryset: QuerySet[Program]) -> Iterable[str]:
    """The CSV export, line by line (a UTF-8 byte-order mark first, so spreadsheets read accents right)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise(header) for _key, header in columns()])
    for values in _rows(user, queryset):
        yield writer.writerow([_as_text(value) for value in values])


def xlsx_bytes(user, queryset: QuerySet[Program]) -> bytes:
    """The XLSX export as one workbook (write-only mode keeps memory flat while rows are added)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Programs")[:31])
    sheet.append([neutralise(header) for _key, header in columns()])
    for values in _rows(user, queryset):
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
