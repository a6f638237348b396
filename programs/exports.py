"""The program list as an export sheet: the rows the viewer may see, under the current filter.

Two forms of the same rows:

- **for people** (the default): the columns of the table the viewer chose (`?columns=`, the program list's
  names), or every column; codes read as labels in the viewer's language (statuses, states, audiences, thematic
  areas, regions and countries by name, partners' roles, yes/no) and dates as dates;
- **for re-import** (`for_import=True`): every column, with the codes `programs.imports` documents.

Both headers are the import template's (`programs.imports`), and the import accepts labels as well as codes, so
either file imports back unchanged. The views hand in a queryset already restricted by
`programs.selectors.program_list_for`; this module only describes the columns and rows (`shared_with` is filled
only for rows whose sharing details the viewer may see). `portal.kernel.tabular` writes them as CSV or XLSX and
neutralises formulas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from confidentiality import policies
from confidentiality.models import Audience, State
from iros.labels import area_label, choice_label, country_label, region_label
from portal.kernel.tabular import Sheet, yes_no
from programs.models import Program, ProgramPartner

CHUNK_SIZE = 1000
# Between the values of a list cell, in the form the import reads back (`programs.imports`).
LIST_SEPARATOR = "; "

# The export columns behind each column of the program table (`programs.tables`), in the table's order.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "organization": ("organization",),
    "status": ("status",),
    "sharing": ("state", "audience", "shared_with"),
    "thematic_areas": ("thematic_areas",),
    "period": ("start_date", "end_date"),
    "updated": ("updated",),
    "regions": ("regions",),
    "beneficiary_countries": ("beneficiary_countries",),
    "budget": ("budget", "currency"),
    "assistance_on_request": ("assistance_on_request",),
    "created": ("created",),
}
# Always first, whatever the table shows: the ID says which program a row is (and an import updates it).
LEADING_COLUMNS = ("id",)
# XLSX widths in characters where the content's first rows would mislead (long free text); others are estimated.
WIDTHS = {"title": 50, "summary": 60, "thematic_areas": 45, "partners": 30, "website": 30}


def columns() -> list[tuple[str, str]]:
    """(key, header) of every exported column, in order: the import template's header too."""
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


def column_keys(table_columns: Sequence[str] | None) -> list[str]:
    """The export columns for the table columns the viewer chose (None: every column)."""
    if not table_columns:
        return [key for key, _header in columns()]
    keys = [*LEADING_COLUMNS]
    for name in table_columns:
        keys.extend(key for key in TABLE_COLUMNS.get(name, ()) if key not in keys)
    return keys


def export_queryset(queryset: QuerySet[Program]) -> QuerySet[Program]:
    """What every exported row reads, fetched in a fixed number of queries per chunk."""
    return queryset.select_related("organization").prefetch_related(
        "thematic_areas",
        "regions",
        "tags",
        "shared_with",
        Prefetch("partnerships", queryset=ProgramPartner.objects.select_related("organization")),
    )


def _local_date(value: datetime) -> date:
    # Spreadsheets know no time zones: the day in the portal's local time, as the program table shows it.
    return timezone.localdate(value)


def _joined(values) -> str:
    return LIST_SEPARATOR.join(values)


def _code_cells(user, program: Program) -> dict[str, Callable]:
    """Each column's cell for re-import: the codes the import documents."""
    return {
        "status": lambda: program.status,
        "state": lambda: program.state,
        "audience": lambda: program.audience,
        "thematic_areas": lambda: _joined(area.code for area in program.thematic_areas.all()),
        "regions": lambda: _joined(region.code for region in program.regions.all()),
        "beneficiary_countries": lambda: _joined(program.beneficiary_countries),
        "funding_states": lambda: _joined(program.funding_states),
        "partners": lambda: _joined(
            f"{partnership.organization.acronym}:{partnership.role}" for partnership in program.partnerships.all()
        ),
        "assistance_on_request": lambda: program.assistance_on_request,
    }


def _label_cells(user, program: Program) -> dict[str, Callable]:
    """Each coded column's cell for people: labels in the active language."""
    return {
        "status": lambda: choice_label(Program.Status, program.status),
        "state": lambda: choice_label(State, program.state),
        "audience": lambda: choice_label(Audience, program.audience),
        "thematic_areas": lambda: _joined(area_label(area) for area in program.thematic_areas.all()),
        "regions": lambda: _joined(region_label(region) for region in program.regions.all()),
        "beneficiary_countries": lambda: _joined(country_label(code) for code in program.beneficiary_countries),
        "funding_states": lambda: _joined(country_label(code) for code in program.funding_states),
        "partners": lambda: _joined(
            f"{partnership.organization.acronym} ({choice_label(ProgramPartner.Role, partnership.role)})"
            for partnership in program.partnerships.all()
        ),
        "assistance_on_request": lambda: yes_no(program.assistance_on_request),
    }


def row_values(user, program: Program, keys: Sequence[str] | None = None, *, for_import: bool = False) -> list:
    """One program as cell values (dates and numbers kept typed for XLSX), for the columns `keys` (None: all)."""

    def shared_with() -> str:
        if not policies.can_see_sharing_details(user, program):
            return ""
        return _joined(organization.acronym for organization in program.shared_with.all())

    cells: dict[str, Callable] = {
        "id": lambda: program.pk,
        "external_key": lambda: program.external_key,
        "organization": lambda: program.organization.acronym,
        "title": lambda: program.title,
        "summary": lambda: program.summary,
        "shared_with": shared_with,
        "tags": lambda: _joined(tag.name for tag in program.tags.all()),
        "start_date": lambda: program.start_date,
        "end_date": lambda: program.end_date,
        "budget": lambda: program.budget,
        "currency": lambda: program.currency,
        "website": lambda: program.website,
        "created": lambda: _local_date(program.created),
        "updated": lambda: _local_date(program.updated),
        **(_code_cells if for_import else _label_cells)(user, program),
    }
    return [cells[key]() for key in keys or [key for key, _header in columns()]]


def _rows(user, queryset: QuerySet[Program], keys: list[str], for_import: bool) -> Iterator[list]:
    for program in export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
        yield row_values(user, program, keys, for_import=for_import)


def program_sheet(
    user, queryset: QuerySet[Program], *, table_columns: Sequence[str] | None = None, for_import: bool = False
) -> Sheet:
    """The export of `queryset` as `user` sees it: the columns of `table_columns` (the program table's names;
    None: all) for people, or every column in codes `for_import`. Rows are read in chunks while the sheet is
    written."""
    keys = column_keys(None if for_import else table_columns)
    headers = dict(columns())
    return Sheet(
        title=_("Programs"),
        header=[headers[key] for key in keys],
        rows=_rows(user, queryset, keys, for_import),
        widths=[WIDTHS.get(key) for key in keys],
    )
