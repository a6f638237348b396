"""The cooperation map: thematic areas × regions of the programs a viewer may see, to avoid duplication and gaps.

The seed asks the Committee to map IRO programs "to avoid duplication and gaps". A cell counts the visible
programs tagged with its thematic area and with its region or a region inside it, exactly as the program list
filtered by `?thematic_area=<code>&region=<code>` does, so each cell links to the list of what it counts.
Programs recorded for a broader region (a continent, the world) are shown apart: they may cover the cell without
being counted in it. The second layer is the IROs' mandates: organizations with the thematic area among their
mandate areas that serve the region, a region inside it or a broader one.

**Possible duplication** needs more than a shared theme and continent: two programs of different IROs, neither
cancelled, on the same thematic area, whose periods overlap (inclusive dates; a missing date is open-ended) and
that share a *beneficiary country* or a *sub-region* — both tagged with the same region below the continents (a
sub-region tag covers the intermediate regions inside it: Sub-Saharan Africa covers Western Africa). The
signal's strength is what they share: the countries and sub-regions concerned and the IROs involved. Each shared
country or sub-region counts in the column that contains it.

**Gaps** are computed at the chosen level. With continents or sub-regions, a cell is a gap when no visible
program reaches the region at all (none tagged with it or a region inside it, none naming a beneficiary country
inside it, none recorded for a broader region); it lists the region's countries. At the country level (columns:
sub-regions), each cell lists the countries of its sub-region that no visible program on the theme reaches
specifically: named as a beneficiary, or inside a sub-region the program is tagged with. Countries are the
M49 ones (`iros.reference_data.REGION_COUNTRIES`).

Cost (100,000 programs): two grouped SQL queries over the visible programs, whatever their number — one for the
cells (programs per thematic area and per combination of columns a program's regions fall in, expanded to
columns here; its grand total is the number of programs mapped), one for the shared countries and sub-regions,
where the exact overlap check runs in the database as a sweep over each (thematic area, country or sub-region)
group ordered by start date. Neither query sends more than a few hundred rows back. For the Committee (~95,000
visible) the cells query reads ids and owners from `program_state_created_idx` alone and costs ~220–270 ms of
PostgreSQL CPU (was ~310–340, plus ~140–160 for the programs mapped, then a query of their own); the sweep sorts
and windows ~354,000 rows, ~500–570 ms (was ~650–690): ~770 ms per request (was ~1,100, `bench/cpu.py`,
2026-11-27). The sort is the floor of this design.

Everything starts from `program_list_for` (the visibility policy): a program the viewer may not see adds nothing
to any count, owner list, duplication or coverage.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from iros.models import Organization, Region, ThematicArea
from iros.reference_data import REGION_COUNTRIES
from portal.kernel.collation import alphabetical_key
from portal.kernel.subquery_sql import BitSets, fetch_around, grouped_work_mem
from programs.models import Program
from programs.selectors import program_list_for

WORLD = "001"
LEVEL_CONTINENT = "continent"
LEVEL_SUBREGION = "subregion"
LEVEL_COUNTRY = "country"
LEVELS = (LEVEL_CONTINENT, LEVEL_SUBREGION, LEVEL_COUNTRY)
# Depth below "World" of the regions that make the columns at each level (M49: continents, then sub-regions);
# the country level shows sub-regions and works out its gaps country by country.
LEVEL_DEPTH = {LEVEL_CONTINENT: 1, LEVEL_SUBREGION: 2, LEVEL_COUNTRY: 2}
# Regions this deep or deeper are specific enough for a shared tag to signal duplication: sub-regions and the
# intermediate regions inside them, not continents nor the world.
SPECIFIC_DEPTH = 2


@dataclass
class Column:
    region: Region
    group: Region | None = None  # the continent above a sub-region column
    is_total: bool = False  # "All regions": the World region covers every other one
    countries: tuple[str, ...] = ()  # M49 countries inside the region


@dataclass
class Duplication:
    """What programs of different IROs on one theme share in one column, in overlapping periods."""

    countries: list[str] = field(default_factory=list)  # ISO codes
    regions: list[Region] = field(default_factory=list)  # sub-regions both are tagged with
    owner_acronyms: set[str] = field(default_factory=set)

    @property
    def strength(self) -> int:
        """How many countries and sub-regions are shared."""
        return len(self.countries) + len(self.regions)

    @property
    def owner_list(self) -> list[str]:
        return sorted(self.owner_acronyms)

    @property
    def owner_summary(self) -> str:
        return _summary(self.owner_list)

    @property
    def owner_preview(self) -> list[str]:
        return self.owner_list[:TOOLTIP_NAMES]

    @property
    def owners_not_shown(self) -> int:
        return max(0, len(self.owner_acronyms) - TOOLTIP_NAMES)


# A tooltip or a row of the duplication table names this many IROs, then says how many more (the cell's link
# lists every program).
TOOLTIP_NAMES = 12


def _summary(names: list[str]) -> str:
    if len(names) <= TOOLTIP_NAMES:
        return ", ".join(names)
    more = gettext("and %(count)d more") % {"count": len(names) - TOOLTIP_NAMES}
    return f"{', '.join(names[:TOOLTIP_NAMES])} {more}"


@dataclass
class Cell:
    area: ThematicArea
    column: Column
    url: str
    programs: int = 0
    owner_acronyms: set[str] = field(default_factory=set)
    broader: int = 0  # programs for a broader region only
    named: bool = False  # some visible program names a beneficiary country inside the region
    mandated: list[str] = field(default_factory=list)
    duplication: Duplication | None = None
    gap_countries: list[str] = field(default_factory=list)  # ISO codes, at the chosen level

    @property
    def owners(self) -> int:
        return len(self.owner_acronyms)

    @property
    def owner_list(self) -> list[str]:
        return sorted(self.owner_acronyms)

    @property
    def owner_summary(self) -> str:
        """The IROs for the cell's tooltip: a cell of a busy theme and continent may have hundreds."""
        return _summary(self.owner_list)

    @property
    def mandated_summary(self) -> str:
        return _summary(self.mandated)

    @property
    def status(self) -> str:
        """`duplication`, `covered`, `broad` (only broader programs) or `gap` (nothing reaches the region)."""
        if self.duplication is not None and not self.column.is_total:
            return "duplication"
        if self.programs or self.named:
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
    def gap_cells(self) -> list[Cell]:
        """The cells with countries no program reaches at the chosen level, most countries first."""
        cells = [cell for cell in self.cells() if not cell.column.is_total and cell.gap_countries]
        return sorted(cells, key=lambda cell: -len(cell.gap_countries))

    @property
    def gaps(self) -> int:
        """Gaps at the chosen level: regions (continents, sub-regions) or countries."""
        if self.level == LEVEL_COUNTRY:
            return sum(len(cell.gap_countries) for cell in self.gap_cells)
        return self.count("gap")

    @property
    def duplications(self) -> list[Cell]:
        cells = [cell for cell in self.cells() if not cell.column.is_total and cell.duplication is not None]
        return sorted(cells, key=lambda cell: (-cell.duplication.strength, -len(cell.duplication.owner_acronyms)))

    @property
    def uncovered_mandates(self) -> int:
        """Cells with no program although some IRO's mandate covers them: where help could come from."""
        return sum(1 for cell in self.cells() if not cell.column.is_total and not cell.programs and cell.mandated)


# --- the region tree --------------------------------------------------------------------------------------------


@dataclass
class Atlas:
    """The regions, how they nest, and the countries inside each."""

    regions: dict[int, Region]
    containing: dict[int, set[int]]  # region id → ids of the regions it lies within, itself included
    countries: dict[int, tuple[str, ...]]  # region id → M49 countries inside it

    def depth(self, region_id: int) -> int:
        """Levels below the root: the World 0, continents 1, sub-regions 2 (a region lies within itself)."""
        return len(self.containing[region_id]) - 1

    def is_specific(self, region_id: int) -> bool:
        return self.depth(region_id) >= SPECIFIC_DEPTH


def _atlas() -> Atlas:
    regions = {region.pk: region for region in Region.objects.with_subtree_ids()}
    containing: dict[int, set[int]] = defaultdict(set)
    for region in regions.values():
        for inside_id in region.subtree_ids:
            containing[inside_id].add(region.pk)
    by_code = {region.code: region.pk for region in regions.values()}
    own = {by_code[code]: countries for code, countries in REGION_COUNTRIES.items() if code in by_code}
    countries = {
        region.pk: tuple(sorted({country for inside in region.subtree_ids for country in own.get(inside, ())}))
        for region in regions.values()
    }
    return Atlas(regions=regions, containing=containing, countries=countries)


def _columns(level: str, atlas: Atlas) -> list[Column]:
    regions = atlas.regions
    world = next((region for region in regions.values() if region.code == WORLD), None)
    depth = LEVEL_DEPTH[level]
    chosen = [region for region in regions.values() if region.code != WORLD and atlas.depth(region.pk) == depth]
    if world is None:
        # Without the M49 tree's root, every top-level region is a column.
        chosen = [region for region in regions.values() if region.parent_id is None]
    if depth == 2:
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
    for column in columns:
        column.countries = atlas.countries.get(column.region.pk, ())
    return columns


# --- the two queries ----------------------------------------------------------------------------------------


# Each region's columns as one set (`BitSets`) of twice as many positions as columns: position i when the region
# falls within column i, position (number of columns + i) when it lies above column i. One integer per program
# (while the columns are at most 31) keeps the one sort of the grouping narrow. The grand total (the empty grouping
# set, its thematic area NULL) counts the distinct programs joined: the visible programs with at least one thematic
# area and one region (every region is in the mapping), for the price of one more sort instead of another query.
CELLS_SQL = """
WITH visible AS ({rows}),
mapping(region_id, columns) AS (SELECT * FROM unnest(%s::bigint[], %s::{bits}[])),
tagged AS (
    SELECT pr.program_id, bit_or(m.columns) AS columns
    FROM programs_program_regions pr JOIN mapping m ON m.region_id = pr.region_id
    GROUP BY pr.program_id
)
SELECT ta.thematicarea_id, t.columns, count(*), array_agg(DISTINCT v.organization_id), count(DISTINCT v.id)
FROM visible v
JOIN programs_program_thematic_areas ta ON ta.program_id = v.id
JOIN tagged t ON t.program_id = v.id
GROUP BY GROUPING SETS ((1, 2), ())
"""

# Each (thematic area, shared unit) group of non-cancelled visible programs: a unit is a beneficiary country
# (its ISO code as a number below REGION_UNIT) or a specific region tag (REGION_UNIT + the id of a smallest region
# inside it). Sorted by start date, a program continues the current chain of overlaps when it starts before the
# latest end seen so far in its group. Programs of two IROs overlap in time exactly when some chain holds both
# (a chain joining two IROs has a link between two of them), that is when some program continues a chain and
# belongs to another IRO than the program just before it: the one window pass over the sorted rows says so, and
# the two IROs of every such step are those involved. Integers and dates only, so the one sort stays narrow: the
# group is one integer, area id × the units' span + unit (a fifth less time than sorting on area and unit apart,
# with the countries unnested in the select list rather than by a lateral join). A program tagged with a region
# and one inside it comes twice into a group: harmless, both rows have its IRO.
REGION_UNIT = 1000
UNITS_SQL = """
WITH visible AS ({rows}),
leaves(region_id, unit) AS (SELECT * FROM unnest(%s::bigint[], %s::bigint[])),
units AS (
    SELECT c.id, c.organization_id, c.start_date, c.end_date,
           (ascii(c.country) - 65) * 26 + ascii(substr(c.country, 2)) - 65 AS unit
    FROM (SELECT v.*, unnest(v.beneficiary_countries) AS country FROM visible v WHERE v.status <> %s) AS c
    UNION ALL
    SELECT v.id, v.organization_id, v.start_date, v.end_date, l.unit
    FROM visible v
    JOIN programs_program_regions pr ON pr.program_id = v.id
    JOIN leaves l ON l.region_id = pr.region_id
    WHERE v.status <> %s
),
grouped AS (
    SELECT ta.thematicarea_id * %s + u.unit AS area_unit, u.organization_id,
           coalesce(u.start_date, '-infinity'::date) AS starts, coalesce(u.end_date, 'infinity'::date) AS ends
    FROM units u JOIN programs_program_thematic_areas ta ON ta.program_id = u.id
),
steps AS (
    SELECT area_unit, organization_id,
           starts <= max(ends) OVER w AND organization_id <> lag(organization_id) OVER w AS joins_another_iro,
           lag(organization_id) OVER w AS previous_owner
    FROM grouped
    WINDOW w AS (PARTITION BY area_unit ORDER BY starts, ends ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
)
SELECT area_unit,
       array_agg(DISTINCT organization_id) FILTER (WHERE joins_another_iro),
       array_agg(DISTINCT previous_owner) FILTER (WHERE joins_another_iro)
FROM steps GROUP BY 1
"""


def _country_of_unit(unit: int) -> str:
    return chr(65 + unit // 26) + chr(65 + unit % 26)


def _visible(actor) -> QuerySet:
    return (
        program_list_for(actor=actor)
        .order_by()
        .values("id", "organization_id", "start_date", "end_date", "status", "beneficiary_countries")
    )


def cooperation_matrix(*, actor, family: str | None = None, level: str = LEVEL_CONTINENT) -> Matrix:
    """The thematic area × region matrix of the programs `actor` may see, with the IROs' mandates."""
    if level not in LEVELS:
        level = LEVEL_CONTINENT
    if family not in ThematicArea.Family.values:
        family = None

    atlas = _atlas()
    regions = atlas.regions
    areas = list(ThematicArea.objects.filter(**({"family": family} if family else {})))
    columns = _columns(level, atlas)
    column_ids = [column.region.pk for column in columns]
    position = {region_id: index for index, region_id in enumerate(column_ids)}
    # For every region: the columns it falls within, and the columns it lies above (it is broader than).
    within = {region_id: atlas.containing[region_id] & position.keys() for region_id in regions}
    above = {
        region_id: (set(region.subtree_ids) - {region_id}) & position.keys() for region_id, region in regions.items()
    }
    # Specific regions → the smallest regions inside them; countries → their smallest region.
    leaves = [region_id for region_id, region in regions.items() if set(region.subtree_ids) == {region_id}]
    leaf_pairs = [
        (region_id, leaf)
        for region_id, region in regions.items()
        if atlas.is_specific(region_id)
        for leaf in leaves
        if leaf in region.subtree_ids
    ]
    leaf_of_country = {country: leaf for leaf in leaves for country in atlas.countries.get(leaf, ())}
    # Every unit is below this: countries below REGION_UNIT (26 × 26 codes), regions REGION_UNIT + their id.
    unit_span = REGION_UNIT + max(leaves, default=0) + 1

    list_url = reverse("programs:list")
    cells: dict[tuple[int, int], Cell] = {}
    for area in areas:
        for column in columns:
            query = urlencode({"thematic_area": area.code, "region": column.region.code})
            cells[(area.pk, column.region.pk)] = Cell(area=area, column=column, url=f"{list_url}?{query}")

    acronyms = dict(Organization.objects.values_list("pk", "acronym"))
    width = len(columns)
    column_sets = BitSets(2 * width)
    with grouped_work_mem() as cursor:
        cell_rows = fetch_around(
            CELLS_SQL.replace("{bits}", column_sets.sql_type),
            # Ids and owners only: for the Committee an index-only scan (`program_state_created_idx`).
            program_list_for(actor=actor).order_by().values("id", "organization_id"),
            [
                list(regions),
                [
                    column_sets.value(
                        [position[column_id] for column_id in within[region_id]]
                        + [width + position[column_id] for column_id in above[region_id]]
                    )
                    for region_id in regions
                ],
            ],
            cursor=cursor,
        )
        unit_rows = fetch_around(
            UNITS_SQL,
            _visible(actor),
            [
                [region_id for region_id, _leaf in leaf_pairs],
                [REGION_UNIT + leaf for _region_id, leaf in leaf_pairs],
                Program.Status.CANCELLED,
                Program.Status.CANCELLED,
                unit_span,
            ],
            cursor=cursor,
        )

    # Cells: each row is a thematic area and one combination of columns its programs fall within, or lie above;
    # a program counts once per cell however many of its regions fall in the column.
    programs_mapped = 0
    for area_id, column_set, programs, owner_ids, distinct_programs in cell_rows:
        if area_id is None:  # the grand total
            programs_mapped = distinct_programs
            continue
        owners = {acronyms[owner_id] for owner_id in owner_ids}
        chosen = set(column_sets.indexes(column_set))
        for index, column_id in enumerate(column_ids):
            cell = cells.get((area_id, column_id))
            if cell is None:
                continue
            if index in chosen:
                cell.programs += programs
                cell.owner_acronyms |= owners
            elif width + index in chosen:
                cell.broader += programs

    # Shared countries and sub-regions: coverage for the gaps, overlap for the duplication signal.
    reached: dict[int, set[str]] = defaultdict(set)  # thematic area → countries some program reaches specifically
    named: dict[int, set[str]] = defaultdict(set)  # thematic area → countries named as beneficiaries
    for area_unit, owners, previous_owners in unit_rows:
        area_id, unit = divmod(area_unit, unit_span)
        country = _country_of_unit(unit) if unit < REGION_UNIT else None
        if country is not None:
            named[area_id].add(country)
            reached[area_id].add(country)
            leaf = leaf_of_country.get(country)
        else:
            leaf = unit - REGION_UNIT
            reached[area_id].update(atlas.countries.get(leaf, ()))
        if not owners or leaf is None:
            continue
        involved = {acronyms[owner] for owner in (*owners, *previous_owners)}
        for column_id in atlas.containing[leaf] & position.keys():
            cell = cells.get((area_id, column_id))
            if cell is None or cell.column.is_total:
                continue
            if cell.duplication is None:
                cell.duplication = Duplication()
            if country is not None:
                cell.duplication.countries.append(country)
            else:
                cell.duplication.regions.append(regions[leaf])
            cell.duplication.owner_acronyms |= involved

    for (area_id, _column_id), cell in cells.items():
        countries = cell.column.countries
        cell.named = any(country in named[area_id] for country in countries)
        if cell.duplication is not None:
            cell.duplication.countries.sort()
            cell.duplication.regions.sort(key=lambda region: alphabetical_key(region.localized_name))
        if cell.column.is_total:
            continue
        if level == LEVEL_COUNTRY:
            cell.gap_countries = [country for country in countries if country not in reached[area_id]]
        elif cell.status == "gap":
            cell.gap_countries = list(countries)

    # The mandates layer: organizations are public reference data, read for everyone alike.
    served = defaultdict(set)
    for organization_id, region_id in Organization.regions.through.objects.values_list("organization_id", "region_id"):
        served[organization_id].add(region_id)
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
    if LEVEL_DEPTH[level] == 2:
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
        programs_mapped=programs_mapped,
    )
