"""N demo programs, generated from their sequence number alone.

Every demo program carries the "demo" tag and is drawn from a random generator seeded with its number, so the data
is the same on every machine and a re-run only adds the programs still missing up to N. Programs and their related
rows go in with COPY (`portal.kernel.bulk_copy`), then the grant index is rebuilt in bulk
(`confidentiality.services.grants_rebuild`), so 100,000 programs stay within a couple of minutes.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django_countries import countries

from confidentiality.models import Audience, State
from confidentiality.services import grants_rebuild
from iros.models import Organization, Region, ThematicArea
from portal.devtools.demo import data
from portal.devtools.demo.organizations import reference_organizations
from portal.kernel.bulk_copy import copy_rows
from programs.models import Program, ProgramGrant, ProgramPartner, Tag

ANALYZE_THRESHOLD = 10_000
M2M = ("thematic_areas", "regions", "tags", "shared_with")

# The audience of program number n is AUDIENCE_CYCLE[n % 10]: every audience appears in any ten consecutive
# programs, in proportions close to what IROs choose (mostly the Committee only or public).
AUDIENCE_CYCLE: tuple[str, ...] = (
    Audience.COMMITTEE,
    Audience.PUBLIC,
    Audience.SELECTED,
    Audience.ALL_IROS,
    Audience.COMMITTEE,
    Audience.PUBLIC,
    Audience.COMMITTEE,
    Audience.SELECTED,
    Audience.PUBLIC,
    Audience.ALL_IROS,
)
DRAFT_SHARE = 0.10


@dataclass
class Catalog:
    """Everything program generation looks up, loaded once."""

    acronyms: list[str]
    weights: list[int]
    organization_ids: dict[str, int]
    region_ids: dict[str, int]
    area_ids: dict[str, int]
    areas_by_family: dict[str, list[str]]
    scope_leaves: dict[str, list[str]]
    parents: dict[str, str]
    tag_ids: dict[str, int]
    today: date = field(default_factory=date.today)
    now: datetime = field(default_factory=timezone.now)

    @classmethod
    def load(cls) -> "Catalog":
        organizations = reference_organizations(Organization.objects.prefetch_related("regions"))
        regions = list(Region.objects.all())
        leaves = region_leaves(regions)
        code_of = {region.pk: region.code for region in regions}
        areas = list(ThematicArea.objects.all())
        areas_by_family: dict[str, list[str]] = {}
        for area in areas:
            areas_by_family.setdefault(area.family, []).append(area.code)
        tag_ids = {}
        for name, slug in (data.DEMO_TAG, *data.TOPIC_TAGS):
            tag_ids[slug] = Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0].pk
        return cls(
            acronyms=list(organizations),
            weights=[data.ACTIVITY_WEIGHTS.get(acronym, 1) for acronym in organizations],
            organization_ids={acronym: organization.pk for acronym, organization in organizations.items()},
            region_ids={region.code: region.pk for region in regions},
            area_ids={area.code: area.pk for area in areas},
            areas_by_family=areas_by_family,
            scope_leaves={
                acronym: sorted({leaf for region in organization.regions.all() for leaf in leaves[region.code]})
                for acronym, organization in organizations.items()
            },
            parents={region.code: code_of[region.parent_id] for region in regions if region.parent_id},
            tag_ids=tag_ids,
        )


# TO SWAP: issue 8 adds one "region and everything inside it" query on Region (iros.models). This hand-written walk
# of the tree is the demo's only copy of that rule; replace its body with that query when it lands.
def region_leaves(regions: list[Region]) -> dict[str, list[str]]:
    """For each region's code, the codes of the leaf regions within it (itself when nothing lies within it)."""
    children: dict[str, list[str]] = {}
    code_of = {region.pk: region.code for region in regions}
    for region in regions:
        if region.parent_id:
            children.setdefault(code_of[region.parent_id], []).append(region.code)

    def leaves(code: str) -> list[str]:
        below = children.get(code)
        if not below:
            return [code]
        return [leaf for child in sorted(below) for leaf in leaves(child)]

    return {region.code: leaves(region.code) for region in regions}


@dataclass
class DemoProgram:
    """One generated program: the row and the ids of its related rows."""

    program: Program
    area_codes: list[str]
    region_codes: list[str]
    tag_slugs: list[str]
    partners: list[tuple[str, str]]
    shared_with: list[str]


def demo_programs_ensure(*, total: int) -> int:
    """Create the demo programs numbered from the current count up to `total`; return how many were created."""
    catalog = Catalog.load()
    demo_programs = Program.objects.filter(tags__id=catalog.tag_ids["demo"])
    existing = demo_programs.count()
    if existing >= total:
        return 0
    generated = [demo_program_build(number, catalog) for number in range(existing + 1, total + 1)]
    ids = _programs_insert(generated, catalog)
    if 2 * len(ids) >= Program.objects.count():
        # Mostly new rows: rewriting the whole index is cheaper than matching 100,000 ids.
        grants_rebuild(Program)
    else:
        grants_rebuild(Program, queryset=Program.objects.filter(pk__in=ids))
    if len(ids) >= ANALYZE_THRESHOLD:
        # Fresh statistics, so the visibility EXISTS is planned on the real sizes right after seeding.
        _analyze([Program, ProgramGrant, *(Program._meta.get_field(name).remote_field.through for name in M2M)])
    return len(ids)


def _analyze(models) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def demo_program_build(number: int, catalog: Catalog) -> DemoProgram:
    """Program number `number`, the same on every run: everything is drawn from a generator seeded with it."""
    # Demo data, not security: a seeded, reproducible generator is the point.
    rng = random.Random(f"seed-demo-{number}")  # noqa: S311
    owner = rng.choices(catalog.acronyms, weights=catalog.weights)[0]
    area_codes = _thematic_areas_pick(rng, owner, catalog)
    region_codes = _regions_pick(rng, owner, catalog)
    countries_picked = _countries_pick(rng, region_codes)
    place = _place_name(rng, region_codes, countries_picked)
    topic = rng.choice(data.TOPICS[rng.choice(area_codes)])
    activity = rng.choice(data.ACTIVITIES)
    beneficiaries = rng.choice(data.BENEFICIARIES)
    words = {
        "activity": activity,
        "activity_lower": activity.lower(),
        "topic": topic,
        "Topic": topic[0].upper() + topic[1:],
        "beneficiaries": beneficiaries,
        "place": place,
        "owner": owner,
    }
    title = rng.choice(data.TITLE_PATTERNS).format(**words)
    assistance_on_request = rng.random() < 0.3
    summary = " ".join(
        [
            rng.choice(data.SUMMARY_OPENINGS).format(**words),
            *rng.sample(data.SUMMARY_DETAILS, k=rng.randint(1, 2)),
            *([data.ASSISTANCE_SENTENCE] if assistance_on_request else []),
        ]
    )
    start_date, end_date = _dates_pick(rng)
    budget, currency = _budget_pick(rng)
    audience = AUDIENCE_CYCLE[number % len(AUDIENCE_CYCLE)]
    program = Program(
        organization_id=catalog.organization_ids[owner],
        title=title,
        summary=summary,
        status=_status_for(rng, start_date, end_date, catalog.today),
        start_date=start_date,
        end_date=end_date,
        budget=budget,
        currency=currency,
        assistance_on_request=assistance_on_request,
        beneficiary_countries=countries_picked,
        funding_states=sorted(rng.sample(data.DONOR_STATES, k=rng.randint(1, 3))) if rng.random() < 0.4 else [],
        state=State.DRAFT if rng.random() < DRAFT_SHARE else State.SUBMITTED,
        audience=audience,
    )
    # Spread over the last two years, so lists sorted by last update and stale-program reminders show something.
    program.updated = catalog.now - timedelta(days=rng.randint(0, 729), seconds=rng.randint(0, 86399))
    program.created = program.updated - timedelta(days=rng.randint(1, 400))
    return DemoProgram(
        program=program,
        area_codes=area_codes,
        region_codes=region_codes,
        tag_slugs=["demo", *rng.sample([slug for _name, slug in data.TOPIC_TAGS], k=rng.randint(0, 3))],
        partners=_partners_pick(rng, owner, catalog),
        shared_with=_shared_with_pick(rng, owner, catalog) if audience == Audience.SELECTED else [],
    )


def _thematic_areas_pick(rng: random.Random, owner: str, catalog: Catalog) -> list[str]:
    focus = [code for code in data.FOCUS.get(owner, ()) if code in catalog.area_ids]
    picked = set(rng.sample(focus, k=min(len(focus), rng.randint(1, 2)))) if focus else set()
    picked.add(rng.choice(catalog.areas_by_family["resolution"]))
    picked.update(rng.sample(catalog.areas_by_family["assistance"], k=rng.randint(1, 2)))
    if rng.random() < 0.5:
        picked.add(rng.choice(catalog.areas_by_family["weapon"]))
    return sorted(picked)


def _regions_pick(rng: random.Random, owner: str, catalog: Catalog) -> list[str]:
    # One sub-region of the owner's scope, sometimes with a neighbour (a sibling under the same parent).
    leaves = catalog.scope_leaves.get(owner) or ["001"]
    first = rng.choice(leaves)
    siblings = [leaf for leaf in leaves if leaf != first and catalog.parents.get(leaf) == catalog.parents.get(first)]
    if siblings and rng.random() < 0.25:
        return sorted([first, rng.choice(siblings)])
    return [first]


def _countries_pick(rng: random.Random, region_codes: list[str]) -> list[str]:
    pool = sorted({code for region in region_codes for code in data.COUNTRIES_BY_REGION.get(region, ())})
    if not pool or rng.random() < 0.15:
        return []
    return sorted(rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 2, 3, 4, 6)))))


def _place_name(rng: random.Random, region_codes: list[str], countries_picked: list[str]) -> str:
    if len(countries_picked) == 1 and rng.random() < 0.7:
        return str(countries.name(countries_picked[0]))
    if len(region_codes) == 1:
        return data.PLACE_NAMES.get(region_codes[0], "several regions")
    return " and ".join(data.PLACE_NAMES.get(code, code) for code in region_codes)


def _dates_pick(rng: random.Random) -> tuple[date | None, date | None]:
    if rng.random() < 0.05:
        return None, None
    start = date(2008, 1, 1) + timedelta(days=rng.randint(0, 20 * 365))
    if rng.random() < 0.08:
        return start, None
    duration = rng.choice((1, 2, 3, 5, 30, 90, 180, 365, 730, 1095, 1825))
    return start, start + timedelta(days=duration - 1)


def _budget_pick(rng: random.Random) -> tuple[Decimal | None, str]:
    if rng.random() < 0.2:
        return None, ""
    currencies, weights, multipliers = zip(*data.CURRENCIES, strict=True)
    index = rng.choices(range(len(currencies)), weights=weights)[0]
    thousands = round(10 ** rng.uniform(1.3, 3.7))  # about 20,000 to 5,000,000
    return Decimal(thousands * 1000 * multipliers[index]), currencies[index]


def _status_for(rng: random.Random, start: date | None, end: date | None, today: date) -> str:
    if rng.random() < 0.04:
        return Program.Status.CANCELLED
    if start is None or start > today:
        return Program.Status.PLANNED
    if end is not None and end < today:
        return Program.Status.COMPLETED
    return Program.Status.ONGOING


def _partners_pick(rng: random.Random, owner: str, catalog: Catalog) -> list[tuple[str, str]]:
    partners = [(owner, ProgramPartner.Role.LEAD)] if rng.random() < 0.7 else []
    others = [acronym for acronym in catalog.acronyms if acronym != owner]
    roles = (ProgramPartner.Role.PARTNER,) * 2 + (ProgramPartner.Role.FUNDER, ProgramPartner.Role.IMPLEMENTER)
    for acronym in rng.sample(others, k=rng.choice((0, 1, 1, 2, 3))):
        partners.append((acronym, rng.choice(roles)))
    return partners


def _shared_with_pick(rng: random.Random, owner: str, catalog: Catalog) -> list[str]:
    # One to four organizations, never the owner.
    buddy = data.DEMO_SHARING_PARTNERS.get(owner)
    picked = {buddy} if buddy in catalog.organization_ids else set()
    others = [acronym for acronym in catalog.acronyms if acronym != owner and acronym not in picked]
    picked.update(rng.sample(others, k=rng.randint(1, 4) - len(picked)))
    return sorted(picked)


def _programs_insert(generated: list[DemoProgram], catalog: Catalog) -> list[int]:
    """COPY the programs and their related rows in; return the new programs' ids.

    COPY is several times faster than batched INSERTs at this size. Ids are drawn from the table's sequence
    first so that related rows can name their program. Triggers still run: the shared_with guards check every
    row (never the owner, only with 'selected', a 'selected' program names someone by commit).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Program._meta.db_table, len(generated)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for item, program_id in zip(generated, ids, strict=True):
        item.program.pk = program_id
    fields = [field for field in Program._meta.concrete_fields if not getattr(field, "generated", False)]
    copy_rows(
        Program._meta.db_table,
        [field.column for field in fields],
        ([getattr(item.program, field.attname) for field in fields] for item in generated),
    )
    relations = (
        ("thematic_areas", catalog.area_ids, "area_codes"),
        ("regions", catalog.region_ids, "region_codes"),
        ("tags", catalog.tag_ids, "tag_slugs"),
        ("shared_with", catalog.organization_ids, "shared_with"),
    )
    for name, target_ids, attribute in relations:
        field = Program._meta.get_field(name)
        copy_rows(
            field.remote_field.through._meta.db_table,
            [field.m2m_column_name(), field.m2m_reverse_name()],
            ((item.program.pk, target_ids[key]) for item in generated for key in getattr(item, attribute)),
        )
    partner = ProgramPartner._meta
    copy_rows(
        partner.db_table,
        [partner.get_field(name).column for name in ("program", "organization", "role")],
        (
            (item.program.pk, catalog.organization_ids[acronym], role)
            for item in generated
            for acronym, role in item.partners
        ),
    )
    return ids
