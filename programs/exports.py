"""The program list as an export sheet: the rows the viewer may see, under the current filter.

Its header is also the import template's (`programs.imports`), so an exported file imports back unchanged.
The views hand in a queryset already restricted by `programs.selectors.program_list_for`; this module only
describes the columns and rows (`shared_with` is filled only for rows whose sharing details the viewer may see).
`portal.kernel.tabular` writes them as CSV or XLSX and neutralises formulas.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from confidentiality import policies
from portal.kernel.tabular import Sheet
from programs.models import Program, ProgramPartner

CHUNK_SIZE = 1000
# Between the values of a list cell, in the form the import reads back (`programs.imports`).
LIST_SEPARATOR = "; "


def columns() -> list[tuple[str, str]]:
    """(key, header) of every exported column, in order."""
    return [
        ("id", _("ID")),
        ("external_key", _("Key")),
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
        shared_with = LIST_SEPARATOR.join(organization.acronym for organization in program.shared_with.all())
    values = {
        "id": program.pk,
        "external_key": program.external_key,
        "organization": program.organization.acronym,
        "title": program.title,
        "summary": program.summary,
        "status": program.status,
        "state": program.state,
        "audience": program.audience,
        "shared_with": shared_with,
        "thematic_areas": LIST_SEPARATOR.join(area.code for area in program.thematic_areas.all()),
        "regions": LIST_SEPARATOR.join(region.code for region in program.regions.all()),
        "beneficiary_countries": LIST_SEPARATOR.join(program.beneficiary_countries),
        "funding_states": LIST_SEPARATOR.join(program.funding_states),
        "partners": LIST_SEPARATOR.join(
            f"{partnership.organization.acronym}:{partnership.role}" for partnership in program.partnerships.all()
        ),
        "tags": LIST_SEPARATOR.join(tag.name for tag in program.tags.all()),
        "start_date": program.start_date,
        "end_date": program.end_date,
        "budget": program.budget,
        "currency": program.currency,
        "assistance_on_request": program.assistance_on_request,
        "website": program.website,
        "created": _local(program.created),
        "updated": _local(program.updated),
    }
    return [values[key] for key, _header in columns()]


def _rows(user, queryset: QuerySet[Program]) -> Iterator[list]:
    for program in export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
        yield row_values(user, program)


def program_sheet(user, queryset: QuerySet[Program]) -> Sheet:
    """The export of `queryset` as `user` sees it; rows are read in chunks while the sheet is written."""
    return Sheet(title=_("Programs"), header=[header for _key, header in columns()], rows=_rows(user, queryset))
