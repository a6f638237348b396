"""Reads for the home page, given the acting user.

Every figure here is an aggregate over a queryset that went through `confidentiality.policies.visible_to` first
(or over public reference data: organizations, coordinators, events, designation status), so no number, bar or
list reveals a record the viewer may not see. Each dashboard costs a fixed number of queries, whatever the
number of rows.

Cost (100,000 programs; the Committee sees ~95,000 submitted): the figures, the thematic-area counts and the
region chart each read the visible ids once — for the Committee (`state = 'submitted'`) an index-only scan of
`program_state_created_idx` — and the two grouped counts run with `grouped_work_mem`, so their hashes stay in
memory. PostgreSQL CPU per query: figures ~8 ms, thematic areas ~40–50 ms, region chart ~75–105 ms (were 35,
95 and 150–170 ms); per request ~130 ms (was ~280, `bench/cpu.py`, 2026-11-27).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from confidentiality import policies
from confidentiality.models import Audience, State
from contacts.models import Demarche, PointOfContact, RegionalCoordinator
from contacts.selectors import (
    COORDINATOR_STATUS_ORDER,
    OrganizationDesignation,
    designation_status,
    may_answer_demarche,
)
from iros.models import Event, Interaction, Organization, Region, ThematicArea
from portal.kernel.subquery_sql import BitSets, fetch_around, grouped_work_mem
from portal.notifications.selectors import notification_recent_entries
from portal.pages.dashboard.charts import Bar
from programs.models import Program
from programs.selectors import program_list_for, stale_program_filter

RECENT = 8
ROOT_BAR = 0  # the bar of programs tagged with the root region itself (region ids start at 1)
# Visible programs per bar of the region chart: each program's tags folded into one set of bars (`BitSets`: a bit
# per bar it counts in), then the programs counted per set; the (tagged region, bars) pairs come as two arrays.
REGION_BARS_SQL = """
WITH visible AS ({rows})
SELECT bars, count(*) FROM (
    SELECT bit_or(m.bars) AS bars
    FROM programs_program_regions pr
    JOIN unnest(%s::bigint[], %s::{bits}[]) AS m(region_id, bars) ON m.region_id = pr.region_id
    WHERE pr.program_id IN (SELECT pk FROM visible)
    GROUP BY pr.program_id
) AS tagged
GROUP BY bars
"""


@dataclass(frozen=True)
class PublicFigures:
    organizations: int
    coordinators_appointed: int
    events: int


def public_figures(*, actor) -> PublicFigures:
    """Counts of public reference data only: nothing here may reveal a submission."""
    return PublicFigures(
        organizations=Organization.objects.count(),
        coordinators_appointed=RegionalCoordinator.objects.filter(status=RegionalCoordinator.Status.APPOINTED).count(),
        events=Event.objects.count(),
    )


# --- shared pieces ------------------------------------------------------------------------------------------


def visible_programs(*, actor) -> QuerySet[Program]:
    return program_list_for(actor=actor)


def program_figures(*, actor) -> dict[str, int]:
    """Visible programs: submitted, drafts, and submitted in the last 30 days. One query."""
    since = timezone.now() - timedelta(days=30)
    return visible_programs(actor=actor).aggregate(
        submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
        drafts=Count("pk", filter=Q(state=State.DRAFT)),
        recent=Count("pk", filter=Q(state=State.SUBMITTED, created__gte=since)),
    )


def submissions_by_thematic_area(*, actor) -> list[Bar]:
    """Visible submitted programs per thematic area (every area, empty ones too), grouped by family. Two queries:
    the areas, and the counts."""
    visible = visible_programs(actor=actor).filter(state=State.SUBMITTED).order_by().values("pk")
    # Counted on the through table alone, grouped by area: the visible ids are hashed once and probed by every
    # link (a semi-join), where counting them in the areas' own query filtered each joined row through the
    # subquery (twice the time at 100,000 programs). No DISTINCT: the through table holds each (program, area)
    # pair once (a unique constraint), so counting links counts programs.
    counts = dict(
        Program.thematic_areas.through.objects.filter(program_id__in=visible)
        .values_list("thematicarea_id")
        .annotate(count=Count("*"))
        .order_by()
    )
    families = dict(ThematicArea.Family.choices)
    return [
        Bar(
            label=area.localized_name,
            value=counts.get(area.pk, 0),
            url=f"thematic_area={area.code}&state=submitted",
            group=str(families.get(area.family, area.family)),
        )
        for area in ThematicArea.objects.all()
    ]


def submissions_by_region(*, actor) -> list[Bar]:
    """Visible submitted programs per region and sub-region, each counting its whole subtree (as the program
    list's region filter does), plus the programs tagged with the root region itself ("World") when there are
    any. Two queries."""
    regions = list(Region.objects.with_subtree_ids().order_by("code"))
    children: dict[int | None, list[Region]] = {}
    for region in regions:
        children.setdefault(region.parent_id, []).append(region)

    roots = children.get(None, [])
    # A single root (World) is split into its continents; the root itself counts only programs tagged with it.
    top = [child for root in roots for child in children.get(root.pk, [])] if len(roots) == 1 else roots
    shown: list[tuple[Region, int]] = []
    for region in Region.in_alphabetical_order(top):
        shown.append((region, 0))
        shown.extend((child, 1) for child in Region.in_alphabetical_order(children.get(region.pk, [])))
    if not shown and not roots:
        return []
    # Each bar counts the programs tagged with its region or one inside it, each program once (one grouped query).
    bar_ids = [region.pk for region, _level in shown] + ([ROOT_BAR] if len(roots) == 1 else [])
    bars_of: dict[int, set[int]] = {}
    for index, (region, _level) in enumerate(shown):
        for inside in region.subtree_ids:
            bars_of.setdefault(inside, set()).add(index)
    if len(roots) == 1:
        bars_of.setdefault(roots[0].pk, set()).add(len(bar_ids) - 1)
    visible = visible_programs(actor=actor).filter(state=State.SUBMITTED).order_by().values("pk")
    bar_sets = BitSets(len(bar_ids))
    tagged = fetch_around(
        REGION_BARS_SQL.replace("{bits}", bar_sets.sql_type),
        visible,
        [list(bars_of), [bar_sets.value(chosen) for chosen in bars_of.values()]],
    )
    counts = dict.fromkeys(bar_ids, 0)
    for bars, programs in tagged:
        for index in bar_sets.indexes(bars):
            counts[bar_ids[index]] += programs
    bars = []
    if len(roots) == 1 and counts.get(ROOT_BAR):
        bars.append(
            Bar(label=_("Global (tagged “%(name)s”)") % {"name": roots[0].localized_name}, value=counts[ROOT_BAR])
        )
    bars.extend(
        Bar(
            label=region.localized_name,
            value=counts.get(region.pk, 0),
            url=f"region={region.code}&state=submitted",
            level=level,
        )
        for region, level in shown
    )
    return bars


def interactions_per_year(*, actor, years: int = 15) -> list[Bar]:
    """Visible interactions per calendar year, from the first year with any to the last (at most `years`
    columns, the most recent ones), gaps filled. One query."""
    rows = (
        policies.visible_to(actor, Interaction.objects.all())
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("year")
    )
    counts = {row["year"]: row["count"] for row in rows}
    if not counts:
        return []
    last = max(counts)
    # At least a few years, so a single busy year still reads as part of a trend.
    first = max(min(min(counts), last - 4), last - years + 1)
    return [Bar(label=str(year), value=counts.get(year, 0), url=f"year={year}") for year in range(first, last + 1)]


def coordinators_by_status(*, actor) -> list[Bar]:
    """Regional coordinators (public reference data) per status, in presentation order. One query."""
    counts = dict(
        policies.visible_to(actor, RegionalCoordinator.objects.all())
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    labels = dict(RegionalCoordinator.Status.choices)
    return [
        Bar(label=str(labels[status]), value=counts.get(status, 0), url=f"status={status}", key=status)
        for status in COORDINATOR_STATUS_ORDER
    ]


# --- the Committee's dashboard --------------------------------------------------------------------------------


# The coverage card names this many organizations missing a role, then links to the designation table filtered
# to all of them (a dashboard is not the place for a list of hundreds).
GAPS_SHOWN = 12


@dataclass(frozen=True)
class Coverage:
    """Point-of-contact designation (public): how many organizations have designated both, one or no role."""

    organizations: list[OrganizationDesignation]
    complete: int
    partial: int
    missing: int

    @property
    def total(self) -> int:
        return self.complete + self.partial + self.missing

    def share(self, part: int) -> float:
        return round(100 * part / self.total, 1) if self.total else 0.0

    @property
    def complete_share(self) -> float:
        return self.share(self.complete)

    @property
    def partial_share(self) -> float:
        return self.share(self.partial)

    @property
    def missing_share(self) -> float:
        return self.share(self.missing)

    @property
    def missing_x(self) -> float:
        return round(self.complete_share + self.partial_share, 1)

    @cached_property
    def gaps(self) -> list[OrganizationDesignation]:
        """Organizations still missing a role: fewest roles designated first, then by acronym."""
        return sorted(
            (item for item in self.organizations if not item.complete),
            key=lambda item: (item.designated_count, item.organization.acronym),
        )

    @property
    def gaps_shown(self) -> list[OrganizationDesignation]:
        """The first gaps, for the dashboard's table; the designation table lists them all."""
        return self.gaps[:GAPS_SHOWN]

    @property
    def gaps_not_shown(self) -> int:
        return max(0, len(self.gaps) - GAPS_SHOWN)


def contact_coverage(*, actor) -> Coverage:
    """Two queries: the organizations and their standing designations."""
    organizations = designation_status()
    complete = sum(1 for item in organizations if item.complete)
    missing = sum(1 for item in organizations if item.designated_count == 0)
    return Coverage(
        organizations=organizations,
        complete=complete,
        partial=len(organizations) - complete - missing,
        missing=missing,
    )


@dataclass(frozen=True)
class DemarcheFigures:
    open: int
    overdue: int
    oldest_open: list[Demarche]


def open_demarches(*, actor, today: date | None = None) -> DemarcheFigures:
    """Visible demarches awaiting an answer, overdue follow-ups first. Two queries."""
    today = today or timezone.localdate()
    pending = policies.visible_to(actor, Demarche.objects.select_related("organization")).filter(
        answered_on__isnull=True
    )
    figures = pending.aggregate(open=Count("pk"), overdue=Count("pk", filter=Demarche.overdue_condition(today)))
    rows = list(pending.order_by(F("follow_up_due").asc(nulls_last=True), "sent_on", "pk")[:RECENT])
    return DemarcheFigures(open=figures["open"], overdue=figures["overdue"], oldest_open=rows)


def recent_submissions(*, actor) -> list[Program]:
    return list(visible_programs(actor=actor).filter(state=State.SUBMITTED).order_by("-created", "-id")[:RECENT])


@dataclass(frozen=True)
class CommitteeDashboard:
    programs: dict[str, int]
    coverage: Coverage
    demarches: DemarcheFigures
    coordinators: list[Bar]
    by_thematic_area: list[Bar]
    by_region: list[Bar]
    interactions: list[Bar]
    recent: list[Program]


def committee_dashboard(*, actor) -> CommitteeDashboard:
    # The grouped counts over every visible submission hash more than PostgreSQL's default memory holds.
    with grouped_work_mem():
        by_thematic_area = submissions_by_thematic_area(actor=actor)
        by_region = submissions_by_region(actor=actor)
    return CommitteeDashboard(
        programs=program_figures(actor=actor),
        coverage=contact_coverage(actor=actor),
        demarches=open_demarches(actor=actor),
        coordinators=coordinators_by_status(actor=actor),
        by_thematic_area=by_thematic_area,
        by_region=by_region,
        interactions=interactions_per_year(actor=actor),
        recent=recent_submissions(actor=actor),
    )


# --- an IRO user's dashboard ----------------------------------------------------------------------------------

AUDIENCE_ORDER = (Audience.COMMITTEE, Audience.SELECTED, Audience.ALL_IROS, Audience.PUBLIC)


@dataclass(frozen=True)
class AudienceRow:
    audience: str
    label: str
    submitted: int
    drafts: int


@dataclass(frozen=True)
class TodoItem:
    kind: str  # "designate", "stale", "drafts"
    text: str
    url: str = ""
    records: tuple = ()


@dataclass(frozen=True)
class IroDashboard:
    organization: Organization
    program_matrix: list[AudienceRow]
    own_programs: list[Program]
    own_contacts: list[PointOfContact]
    shared_with_us: list[Program]
    notifications: list
    designation: OrganizationDesignation
    stale_programs: list[Program]
    stale_count: int
    drafts: list[Program]
    draft_count: int
    demarches: DemarcheFigures  # the Committee's demarches to the organization, awaiting its answer

    @property
    def own_program_total(self) -> int:
        return sum(row.submitted + row.drafts for row in self.program_matrix)

    @property
    def missing_roles(self):
        return [role for role in self.designation.roles if not role.designated]

    @property
    def todo_count(self) -> int:
        return len(self.missing_roles) + self.stale_count + self.draft_count + self.demarches.open


def own_program_matrix(*, actor, organization: Organization) -> list[AudienceRow]:
    """The organization's own programs (as far as the viewer sees them) by audience and state. One query."""
    own = visible_programs(actor=actor).filter(organization=organization)
    counts = own.aggregate(
        **{
            f"{audience}_{state}": Count("pk", filter=Q(audience=audience, state=state))
            for audience in AUDIENCE_ORDER
            for state in State.values
        }
    )
    labels = dict(Audience.choices)
    return [
        AudienceRow(
            audience=audience,
            label=str(labels[audience]),
            submitted=counts[f"{audience}_{State.SUBMITTED}"],
            drafts=counts[f"{audience}_{State.DRAFT}"],
        )
        for audience in AUDIENCE_ORDER
    ]


def iro_dashboard(*, actor, organization: Organization, today: date | None = None) -> IroDashboard:
    own = visible_programs(actor=actor).filter(organization=organization)
    is_stale = stale_program_filter(today=today or timezone.localdate())
    stale = own.filter(is_stale)
    drafts = own.filter(state=State.DRAFT)
    todo_counts = own.aggregate(
        stale=Count("pk", filter=is_stale),
        drafts=Count("pk", filter=Q(state=State.DRAFT)),
    )
    contacts = policies.visible_to(actor, PointOfContact.objects.select_related("organization")).filter(
        organization=organization
    )
    return IroDashboard(
        organization=organization,
        program_matrix=own_program_matrix(actor=actor, organization=organization),
        own_programs=list(own[:RECENT]),
        own_contacts=list(contacts.order_by(F("until").desc(nulls_first=True), "role", "-since", "-id")[:RECENT]),
        shared_with_us=list(
            visible_programs(actor=actor)
            .filter(state=State.SUBMITTED)
            .exclude(organization=organization)
            .order_by("-updated", "-id")[:RECENT]
        ),
        notifications=notification_recent_entries(actor=actor, limit=RECENT),
        designation=designation_status(organizations=[organization])[0],
        stale_programs=list(stale.order_by("updated", "id")[:5]),
        stale_count=todo_counts["stale"],
        drafts=list(drafts.order_by("-updated", "-id")[:5]),
        draft_count=todo_counts["drafts"],
        demarches=_answerable(actor, open_demarches(actor=actor)),
    )


def _answerable(actor, figures: DemarcheFigures) -> DemarcheFigures:
    for demarche in figures.oldest_open:
        demarche.may_answer = may_answer_demarche(actor=actor, demarche=demarche)
    return figures
