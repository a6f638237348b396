"""`manage.py seed_demo [--programs N]`: demo accounts, N realistic programs, and a fixed set of demo points of
contact, demarches and IGO-table interactions (`programs.demo_extras`), for development and benchmarks.

Every demo program carries the "demo" tag and is generated from its sequence number alone (a random generator
seeded with it), so the data is the same on every machine and re-running only adds the programs still missing
up to N. Programs and their related rows go in with COPY in one transaction, then the grant index is rebuilt
in bulk (`confidentiality.services.grants_rebuild`), so `--programs 100000` stays within a couple of minutes.
The extras go through the services (grants, audit, constraints) and do not grow with N.
"""

import io
import os
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_countries import countries

from confidentiality.models import Audience, State
from confidentiality.services import grants_rebuild
from iros import reference_data
from iros.models import Organization, Region, ThematicArea
from portal.accounts.models import Role, User
from portal.accounts.services import user_create
from programs import demo_data, demo_extras
from programs.models import Program, ProgramGrant, ProgramPartner, Tag

DEFAULT_PROGRAMS = 300
DEFAULT_DEMO_PASSWORD = "demo-1540-portal"
ANALYZE_THRESHOLD = 10_000
M2M = ("thematic_areas", "regions", "tags", "shared_with")

# (username, role, organization acronym or None)
DEMO_ACCOUNTS: tuple[tuple[str, str, str | None], ...] = (
    ("admin", Role.ADMIN, None),
    ("expert", Role.COMMITTEE, None),
    ("focal", Role.FOCAL_POINT, "OSCE"),
    ("focal-au", Role.FOCAL_POINT, "AU"),
    ("member", Role.MEMBER, "UNODC"),
)

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


class Command(BaseCommand):
    help = (
        "Create demo accounts (one per role), N demo programs, and demo points of contact, demarches and "
        "interactions. Refuses to run with production settings."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--programs",
            type=int,
            default=DEFAULT_PROGRAMS,
            help=f"How many demo programs there should be in total (default {DEFAULT_PROGRAMS}).",
        )

    def handle(self, *args, programs: int, **options) -> None:
        if is_production():
            raise CommandError("seed_demo refuses to run with production settings.")
        if programs < 0:
            raise CommandError("--programs must be zero or more.")
        if Organization.objects.filter(acronym__in=reference_acronyms()).count() < len(reference_acronyms()):
            call_command("seed_reference", stdout=self.stdout)
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        with transaction.atomic():
            accounts = demo_accounts_ensure(password=password)
            created = demo_programs_ensure(total=programs)
            try:
                extras = demo_extras.demo_extras_ensure()
            except (PermissionDenied, ValidationError) as error:
                raise CommandError(f"Cannot create the demo contacts, demarches and interactions: {error}") from error
        self._report(accounts, created, programs, password, extras)

    def _report(
        self,
        accounts: list[tuple[User, bool]],
        created: int,
        total: int,
        password: str,
        extras: demo_extras.Created,
    ) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo programs: {created} created, {total} in total."))
        counts = demo_extras.demo_counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo points of contact: {extras.contacts} created, {counts['contacts']} in total; "
                f"demarches: {extras.demarches} created, {counts['demarches']} in total; "
                f"interactions: {extras.interactions} created, {counts['interactions']} in total."
            )
        )
        for reason in extras.skipped:
            self.stdout.write(f"  skipped: {reason}")
        self.stdout.write("Demo accounts (username / password / role):")
        for user, is_new in accounts:
            membership = getattr(user, "membership", None)
            where = f" @ {membership.organization.acronym}" if membership else ""
            secret = password if is_new or user.check_password(password) else "(changed by its owner)"
            self.stdout.write(f"  {user.username:<10} {secret:<20} {user.get_role_display()}{where}")


def is_production() -> bool:
    return (getattr(settings, "SETTINGS_MODULE", "") or "").endswith("production")


def reference_acronyms() -> list[str]:
    return [row[0] for row in reference_data.ORGANIZATIONS]


def demo_accounts_ensure(*, password: str) -> list[tuple[User, bool]]:
    """One account per role (plus a second focal point); existing accounts are left as they are."""
    accounts = []
    for username, role, acronym in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is not None:
            accounts.append((user, False))
            continue
        organization = Organization.objects.get(acronym=acronym) if acronym else None
        try:
            user = user_create(
                username=username,
                role=role,
                organization=organization,
                email=f"{username}@demo.example.org",
                password=password,
            )
        except ValidationError as error:
            raise CommandError(f"Cannot create the demo account {username!r}: {error}") from error
        accounts.append((user, True))
    return accounts


# --- programs ----------------------------------------------------------------------------------------------


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
        organizations = Organization.objects.filter(acronym__in=reference_acronyms()).prefetch_related("regions")
        organization_ids = {org.acronym: org.pk for org in organizations}
        acronyms = [acronym for acronym in reference_acronyms() if acronym in organization_ids]
        regions = list(Region.objects.all())
        children: dict[str, list[str]] = {}
        parents = {region.pk: region.code for region in regions}
        for region in regions:
            if region.parent_id:
                children.setdefault(parents[region.parent_id], []).append(region.code)

        def leaves(code: str) -> list[str]:
            below = children.get(code)
            if not below:
                return [code]
            return [leaf for child in sorted(below) for leaf in leaves(child)]

        scope_leaves = {
            org.acronym: sorted({leaf for region in org.regions.all() for leaf in leaves(region.code)})
            for org in organizations
        }
        areas = list(ThematicArea.objects.all())
        areas_by_family: dict[str, list[str]] = {}
        for area in areas:
            areas_by_family.setdefault(area.family, []).append(area.code)
        tag_ids = {}
        for name, slug in (demo_data.DEMO_TAG, *demo_data.TOPIC_TAGS):
            tag_ids[slug] = Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0].pk
        return cls(
            acronyms=acronyms,
            weights=[demo_data.ACTIVITY_WEIGHTS.get(acronym, 1) for acronym in acronyms],
            organization_ids=organization_ids,
            region_ids={region.code: region.pk for region in regions},
            area_ids={area.code: area.pk for area in areas},
            areas_by_family=areas_by_family,
            scope_leaves=scope_leaves,
            parents={region.code: parents[region.parent_id] for region in regions if region.parent_id},
            tag_ids=tag_ids,
        )


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
    topic = rng.choice(demo_data.TOPICS[rng.choice(area_codes)])
    activity = rng.choice(demo_data.ACTIVITIES)
    beneficiaries = rng.choice(demo_data.BENEFICIARIES)
    words = {
        "activity": activity,
        "activity_lower": activity.lower(),
        "topic": topic,
        "Topic": topic[0].upper() + topic[1:],
        "beneficiaries": beneficiaries,
        "place": place,
        "owner": owner,
    }
    title = rng.choice(demo_data.TITLE_PATTERNS).format(**words)
    assistance_on_request = rng.random() < 0.3
    summary = " ".join(
        [
            rng.choice(demo_data.SUMMARY_OPENINGS).format(**words),
            *rng.sample(demo_data.SUMMARY_DETAILS, k=rng.randint(1, 2)),
            *([demo_data.ASSISTANCE_SENTENCE] if assistance_on_request else []),
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
        funding_states=sorted(rng.sample(demo_data.DONOR_STATES, k=rng.randint(1, 3))) if rng.random() < 0.4 else [],
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
        tag_slugs=["demo", *rng.sample([slug for _name, slug in demo_data.TOPIC_TAGS], k=rng.randint(0, 3))],
        partners=_partners_pick(rng, owner, catalog),
        shared_with=_shared_with_pick(rng, owner, catalog) if audience == Audience.SELECTED else [],
    )


def _thematic_areas_pick(rng: random.Random, owner: str, catalog: Catalog) -> list[str]:
    focus = [code for code in demo_data.FOCUS.get(owner, ()) if code in catalog.area_ids]
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
    pool = sorted({code for region in region_codes for code in demo_data.COUNTRIES_BY_REGION.get(region, ())})
    if not pool or rng.random() < 0.15:
        return []
    return sorted(rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 2, 3, 4, 6)))))


def _place_name(rng: random.Random, region_codes: list[str], countries_picked: list[str]) -> str:
    if len(countries_picked) == 1 and rng.random() < 0.7:
        return str(countries.name(countries_picked[0]))
    if len(region_codes) == 1:
        return demo_data.PLACE_NAMES.get(region_codes[0], "several regions")
    return " and ".join(demo_data.PLACE_NAMES.get(code, code) for code in region_codes)


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
    currencies, weights, multipliers = zip(*demo_data.CURRENCIES, strict=True)
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
    buddy = demo_data.DEMO_SHARING_PARTNERS.get(owner)
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
    _copy_rows(
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
        _copy_rows(
            field.remote_field.through._meta.db_table,
            [field.m2m_column_name(), field.m2m_reverse_name()],
            ((item.program.pk, target_ids[key]) for item in generated for key in getattr(item, attribute)),
        )
    partner = ProgramPartner._meta
    _copy_rows(
        partner.db_table,
        [partner.get_field(name).column for name in ("program", "organization", "role")],
        (
            (item.program.pk, catalog.organization_ids[acronym], role)
            for item in generated
            for acronym, role in item.partners
        ),
    )
    return ids


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | tuple):
        quoted = ('"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in value)
        return ("{" + ",".join(quoted) + "}").translate(COPY_ESCAPES)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    raise TypeError(f"No COPY format for {type(value).__name__}")


def _copy_rows(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_value(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN", buffer)
