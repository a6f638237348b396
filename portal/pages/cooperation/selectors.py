"""The cooperation map: thematic areas × regions of the programs a viewer may see, to avoid duplication and gaps.

The seed asks the Committee to map IRO programs "to avoid duplication and gaps". A cell counts the visible
programs tagged with its thematic area and with its region or a region inside it, exactly as the program list
filtered by `?thematic_area=<code>&region=<code>` does, so each cell links to the list of what it counts.
Programs recorded for a broader region (a continent, the world) are shown apart: they may cover the cell without
being counted in it. The second layer is the IROs' mandates: organizations with the thematic area among their
mandate areas that serve the region, a region inside it or a broader one.

Everything is read through `program_list_for` (the visibility policy): a program the viewer may not see adds
nothing to any count, owner list or duplication flag.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

from django.contrib.postgres.aggregates import ArrayAgg
from django.urls import reverse
from django.utils.http import urlencode

from iros.models import Organization, Region, ThematicArea
from portal.kernel.collation import alphabetical_key
from programs.models import Program
from programs.selectors import program_list_for

WORLD = "001"
LEVEL_CONTINENT = "continent"
LEVEL_SUBREGION = "subregion"
LEVELS = (LEVEL_CONTINENT, LEVEL_SUBREGION)
# Depth below "World" of the regions that make the columns at each level (M49: continents, then sub-regions).
LEVEL_DEPTH = {LEVEL_CONTINENT: 1, LEVEL_SUBREGION: 2}


@dataclass
class Column:
    region: Region
    group: Region | None = None  # the continent above a sub-region column
    is_total: bool = False  # "All regions": the World region covers every other one


@dataclass
class Cell:
    area: ThematicArea
    column: Column
    url: str
    program_ids: set[int] = field(default_factory=set)
    owner_acronyms: set[str] = field(default_factory=set)
    broader_ids: set[int] = field(default_factory=set)  # programs for a broader region only
    mandated: list[str] = field(default_factory=list)
    duplication: bool = False

    @property
    def programs(self) -> int:
        return len(self.program_ids)

    @property
    def owners(self) -> int:
        return len(self.owner_acronyms)

    @property
    def owner_list(self) -> list[str]:
        return sorted(self.owner_acronyms)

    @property
    def broader(self) -> int:
        return len(self.broader_ids - self.program_ids)

    @property
    def status(self) -> str:
        """`duplication`, `covered`, `broad` (only broader programs) or `gap` (nothing at all)."""
        if self.duplication:
            return "duplication"
        if self.program_ids:
            return "covered"
        return "broad" if self.broader else "gap"


@dataclass
class Row:
    area: ThematicArea
    cells: list[Cell]


@dataclass
class FamilyGroup:
    family: str
    label: str
    rows: list[Row]


@dataclass
class Matrix:
    level: str
    family: str | None
    columns: list[Column]
    column_groups: list[tuple[Region | None, int]]  # (continent, span) header above sub-region columns
    groups: list[FamilyGroup]
    programs_mapped: int  # visible programs with at least one thematic area and one region

    def cells(self) -> list[Cell]:
        return [cell for group in self.groups for row in group.rows for cell in row.cells]

    def count(self, status: str) -> int:
        return sum(1 for cell in self.cells() if not cell.column.is_total and cell.status == status)

    @property
    def gaps(self) -> int:
        return self.count("gap")

    @property
    def duplications(self) -> list[Cell]:
        cells = [cell for cell in self.cells() if not cell.column.is_total and cell.duplication]
        return sorted(cells, key=lambda cell: (-cell.owners, -cell.programs))

    @property
    def uncovered_mandates(self) -> int:
        """Cells with no program although some IRO's mandate covers them: where help could come from."""
        return sum(1 for cell in self.cells() if not cell.column.is_total and not cell.program_ids and cell.mandated)


def _columns(level: str, regions: dict[int, Region], containing: dict[int, set[int]]) -> list[Column]:
    world = next((region for region in regions.values() if region.code == WORLD), None)
    depth = LEVEL_DEPTH[level]
    # A region's depth below the root is the number of regions it lies within, itself excluded.
    chosen = [region for region in regions.values() if region.code != WORLD and len(containing[region.pk]) - 1 == depth]
    if world is None:
        # Without the M49 tree's root, every top-level region is a column.
        chosen = [region for region in regions.values() if region.parent_id is None]
    columns = []
    if level == LEVEL_SUBREGION:
        continent_of = {region.pk: regions.get(region.parent_id) for region in chosen}
        chosen.sort(
            key=lambda region: (
                alphabetical_key(continent_of[region.pk].localized_name) if continent_of[region.pk] else "",
                alphabetical_key(region.localized_name),
            )
        )
        columns = [Column(region=region, group=continent_of[region.pk]) for region in chosen]
    else:
        columns = [Column(region=region) for region in Region.in_alphabetical_order(chosen)]
    if world is not None:
        columns.append(Column(region=world, is_total=True))
    return columns


def _has_overlap(intervals: list[tuple[date, date, str]]) -> bool:
    """Whether two intervals of different owners overlap (inclusive dates).

    A sweep by start date keeping the latest end seen and its owner, and the latest end among the other
    owners: an interval overlaps an earlier one of another owner exactly when that other end reaches its start.
    """
    best_end, best_owner, other_end = None, None, None
    # Sorting on the start alone is enough: intervals of different owners starting the same day overlap anyway.
    for start, end, owner in sorted(intervals, key=itemgetter(0)):
        reach = best_end if owner != best_owner else other_end
        if reach is not None and reach >= start:
            return True
        if best_end is None or end > best_end:
            if owner != best_owner:
                other_end = best_end
            best_end, best_owner = end, owner
        elif owner != best_owner and (other_end is None or end > other_end):
            other_end = end
    return False


def cooperation_matrix(*, actor, family: str | None = None, level: str = LEVEL_CONTINENT) -> Matrix:
    """The thematic area × region matrix of the programs `actor` may see, with the IROs' mandates."""
    if level not in LEVELS:
        level = LEVEL_CONTINENT
    if family not in ThematicArea.Family.values:
        family = None

    regions = {region.pk: region for region in Region.objects.with_subtree_ids()}
    # The regions each region lies within, itself included: `subtree_ids` read the other way round.
    containing: dict[int, set[int]] = defaultdict(set)
    for region in regions.values():
        for inside_id in region.subtree_ids:
            containing[inside_id].add(region.pk)
    areas = list(ThematicArea.objects.filter(**({"family": family} if family else {})))
    columns = _columns(level, regions, containing)
    column_ids = {column.region.pk for column in columns}
    # For every region: the columns it falls within, and the columns it lies above (it is broader than).
    within = {region_id: containing[region_id] & column_ids for region_id in regions}
    above = {region_id: (set(region.subtree_ids) - {region_id}) & column_ids for region_id, region in regions.items()}

    list_url = reverse("programs:list")
    cells: dict[tuple[int, int], Cell] = {}
    for area in areas:
        for column in columns:
            query = urlencode({"thematic_area": area.code, "region": column.region.code})
            cells[(area.pk, column.region.pk)] = Cell(area=area, column=column, url=f"{list_url}?{query}")

    # One row per visible program with its thematic areas and regions (the visibility filter is in the query).
    programs = (
        program_list_for(actor=actor)
        .order_by()
        .values_list("pk", "organization__acronym", "start_date", "end_date", "status")
        .annotate(area_ids=ArrayAgg("thematic_areas", distinct=True), region_ids=ArrayAgg("regions", distinct=True))
    )
    intervals: dict[tuple[int, int], list[tuple[date, date, str]]] = defaultdict(list)
    mapped = 0
    # Many programs share the same regions: work out their columns once per combination.
    columns_of: dict[tuple, tuple[bool, set[int], set[int]]] = {}
    for pk, owner, start, end, status, area_ids, region_ids in programs:
        area_ids = [area_id for area_id in area_ids if area_id is not None]
        key = tuple(region_ids)
        if key not in columns_of:
            known = [region_id for region_id in region_ids if region_id is not None]
            columns_of[key] = (
                bool(known),
                set().union(*(within.get(region_id, set()) for region_id in known)),
                set().union(*(above.get(region_id, set()) for region_id in known)),
            )
        has_regions, in_columns, broader_columns = columns_of[key]
        if area_ids and has_regions:
            mapped += 1
        for area_id in area_ids:
            for column_id in in_columns:
                cell = cells.get((area_id, column_id))
                if cell is None:
                    continue
                cell.program_ids.add(pk)
                cell.owner_acronyms.add(owner)
                if status != Program.Status.CANCELLED:
                    intervals[(area_id, column_id)].append((start or date.min, end or date.max, owner))
            for column_id in broader_columns:
                cell = cells.get((area_id, column_id))
                if cell is not None:
                    cell.broader_ids.add(pk)
    for key, spans in intervals.items():
        cells[key].duplication = len({owner for _start, _end, owner in spans}) > 1 and _has_overlap(spans)

    # The mandates layer: organizations are public reference data, read for everyone alike.
    served = defaultdict(set)
    for organization_id, region_id in Organization.regions.through.objects.values_list("organization_id", "region_id"):
        served[organization_id].add(region_id)
    acronyms = dict(Organization.objects.values_list("pk", "acronym"))
    for organization_id, area_id in Organization.mandate_areas.through.objects.values_list(
        "organization_id", "thematicarea_id"
    ):
        touched = set()
        for region_id in served.get(organization_id, ()):
            touched |= within.get(region_id, set()) | above.get(region_id, set())
        for column_id in touched:
            cell = cells.get((area_id, column_id))
            if cell is not None:
                cell.mandated.append(acronyms[organization_id])
    for cell in cells.values():
        cell.mandated.sort()

    groups = []
    labels = dict(ThematicArea.Family.choices)
    for value in ThematicArea.Family.values:
        rows = [
            Row(area=area, cells=[cells[(area.pk, column.region.pk)] for column in columns])
            for area in areas
            if area.family == value
        ]
        if rows:
            groups.append(FamilyGroup(family=value, label=str(labels[value]), rows=rows))

    column_groups: list[tuple[Region | None, int]] = []
    if level == LEVEL_SUBREGION:
        for column in columns:
            if column_groups and column_groups[-1][0] == column.group:
                column_groups[-1] = (column.group, column_groups[-1][1] + 1)
            else:
                column_groups.append((column.group, 1))
    return Matrix(
        level=level,
        family=family,
        columns=columns,
        column_groups=column_groups,
        groups=groups,
        programs_mapped=mapped,
    )
