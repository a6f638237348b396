"""`make bench`: the visibility filter at 100,000 programs and ~500,000 view grants (see bench/README.md).

Creates its own database (`portal_bench` unless BENCH_DATABASE_URL says otherwise; never `portal` nor a test
database), migrates it, seeds 200 organizations and 100,000 programs, rebuilds the grant index, runs
VACUUM ANALYZE, then measures "first page of 50 + total count" for a Committee expert, two IRO members and
django-guardian's `get_objects_for_user`, and the latency of one audience change. The database is dropped at
the end unless --keep is given; --reuse measures an existing, already seeded bench database; --seed-only creates
and seeds it for `make load` and measures nothing.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import logging
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import django
import psycopg2
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

# The project's modules (models, services, the COPY writer) are imported inside the functions that use them, marked
# "after django.setup()": models load only once Django is set up, with the database this script picks at run time.
BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DEFAULT_URL = "postgres://postgres@localhost:5432/portal_bench"
N_ORGANIZATIONS = 200
N_PROGRAMS = 100_000
SEED = 1540

# The audience mix (fractions of all programs). all_iros + public stay under 1%, so the small organization
# sees about 1%; the large one gets many `selected` shares.
P_DRAFT = 0.05
P_PUBLIC = 0.003
P_ALL_IROS = 0.004
P_SELECTED = 0.80  # the rest is `committee`
B1_OWNS = 0.02  # share of programs owned by B1 (a large organization)
B2_OWNS = 0.002  # ... by B2 (a small one)
B1_SHARE_P = 0.365  # probability that B1 is among a `selected` program's organizations
B2_SHARE_P = 0.0013


def bench_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    name = urlsplit(url).path.lstrip("/")
    if not name or name == "portal" or name.startswith("test"):
        sys.exit(f"Refusing to benchmark in database {name!r}: use a dedicated one such as portal_bench.")
    return url


def admin_connection(url: str):
    parts = urlsplit(url)
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    return conn, parts.path.lstrip("/")


def database_create(url: str) -> None:
    conn, name = admin_connection(url)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def database_drop(url: str) -> None:
    connections.close_all()
    conn, name = admin_connection(url)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ["EMAIL_URL"] = "dummymail://"
    os.environ.pop("REDIS_URL", None)
    django.setup()
    # Production queues the delivery task on a broker after commit; the bench keeps that cost (a publish) and
    # not the delivery itself, which a worker does later: the in-memory transport, not eager execution.
    from portal.celery import app  # after django.setup()

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    logging.getLogger("kombu").setLevel(logging.ERROR)  # the memory transport warns it has no host name


# --- seeding --------------------------------------------------------------------------------------------------


def zipf_weights(n: int, s: float = 0.9, shift: int = 5) -> list[float]:
    return [1.0 / (i + shift) ** s for i in range(n)]


def weighted_sample(rng: random.Random, population: list[int], cumulative: list[float], k: int, exclude) -> set:
    chosen: set[int] = set()
    tries = 0
    while len(chosen) < k and tries < 20 * k:
        (pick,) = rng.choices(population, cum_weights=cumulative, k=1)
        tries += 1
        if pick not in exclude:
            chosen.add(pick)
    return chosen


def seed(rng: random.Random) -> dict:
    # after django.setup()
    from django.contrib.auth.models import Group

    from confidentiality import services
    from confidentiality.groups import ALL_IROS_GROUP, PUBLIC_GROUP
    from iros.models import Membership, Organization
    from portal.accounts.models import Role, User
    from portal.kernel.bulk_copy import copy_rows
    from portal.kernel.reference_choices import reference_data_changed
    from programs.models import Program

    timings = {}
    started = time.perf_counter()

    # 200 organizations through the ORM, each with its auth Group.
    kinds = [kind for kind, _label in Organization.Kind.choices]
    organizations = [Organization(acronym="B1", name="Bench large organization", kind="regional")]
    organizations.append(Organization(acronym="B2", name="Bench small organization", kind="subregional"))
    organizations += [
        Organization(acronym=f"IRO-{i:03d}", name=f"Synthetic organization {i}", kind=rng.choice(kinds))
        for i in range(3, N_ORGANIZATIONS + 1)
    ]
    Organization.objects.bulk_create(organizations)
    reference_data_changed()  # a bulk write sends no signal: the selects that offer organizations are rebuilt
    organizations = list(Organization.objects.order_by("id"))
    for organization in organizations:
        services.organization_group_ensure(organization)
    b1, b2 = organizations[0], organizations[1]
    others = [org.pk for org in organizations[2:]]

    # Users: a Committee expert, a member of B1 and of B2, and focal points who change audiences.
    User.objects.create_user("bench-committee", role=Role.COMMITTEE)
    member_b1 = User.objects.create_user("bench-b1-member", role=Role.MEMBER)
    member_b2 = User.objects.create_user("bench-b2-member", role=Role.MEMBER)
    Membership.objects.create(user=member_b1, organization=b1)
    Membership.objects.create(user=member_b2, organization=b2)
    focal_orgs = [b1, b2, *organizations[2:20]]
    for organization in focal_orgs:
        user = User.objects.create_user(f"bench-fp-{organization.acronym.lower()}", role=Role.FOCAL_POINT)
        user.email = f"{user.username}@bench.invalid"
        user.save(update_fields=["email"])
        Membership.objects.create(user=user, organization=organization)
    timings["organizations and users"] = time.perf_counter() - started

    # 100,000 programs and their shared_with rows, bulk-inserted with COPY (auto_now would overwrite `updated`).
    started = time.perf_counter()
    owner_cum = []
    total = 0.0
    for weight in zipf_weights(len(others)):
        total += weight
        owner_cum.append(total)
    owner_cum = [value * (1 - B1_OWNS - B2_OWNS) / total for value in owner_cum]
    share_cum = []
    total = 0.0
    for weight in zipf_weights(len(others), s=0.7, shift=3):
        total += weight
        share_cum.append(total)
    now = dt.datetime.now(dt.UTC)
    statuses = ["planned", "ongoing", "ongoing", "completed", "cancelled"]
    countries = ["KZ", "KG", "TJ", "TM", "UZ", "GH", "SN", "PE", "CO", "JO", "PH", "VN", "ID", "KE", "NG"]
    programs, shared = [], []
    for pk in range(1, N_PROGRAMS + 1):
        roll = rng.random()
        if roll < B1_OWNS:
            owner = b1.pk
        elif roll < B1_OWNS + B2_OWNS:
            owner = b2.pk
        else:
            owner = others[_bisect(owner_cum, roll - B1_OWNS - B2_OWNS)]
        state = "draft" if rng.random() < P_DRAFT else "submitted"
        roll = rng.random()
        if roll < P_PUBLIC:
            audience = "public"
        elif roll < P_PUBLIC + P_ALL_IROS:
            audience = "all_iros"
        elif roll < P_PUBLIC + P_ALL_IROS + P_SELECTED:
            audience = "selected"
        else:
            audience = "committee"
        if audience == "selected":
            k = min(12, max(1, round(rng.gauss(5, 2.5))))
            picks = set()
            if owner != b1.pk and rng.random() < B1_SHARE_P:
                picks.add(b1.pk)
            if owner != b2.pk and rng.random() < B2_SHARE_P:
                picks.add(b2.pk)
            picks |= weighted_sample(rng, others, share_cum, max(0, k - len(picks)), exclude={owner})
            if not picks:
                picks = {others[-1] if owner != others[-1] else others[-2]}
            shared.extend((pk, org) for org in sorted(picks))
        updated = now - dt.timedelta(seconds=rng.randrange(5 * 365 * 86400))
        created = updated - dt.timedelta(seconds=rng.randrange(2 * 365 * 86400))
        start = (created - dt.timedelta(days=rng.randrange(400))).date() if rng.random() < 0.8 else None
        end = (start + dt.timedelta(days=rng.randrange(30, 1500))) if start and rng.random() < 0.6 else None
        beneficiaries = rng.sample(countries, rng.randrange(0, 4))
        programs.append(
            (
                pk,
                owner,
                state,
                audience,
                created,
                updated,
                f"Synthetic program {pk}: export control and border security cooperation",
                f"Capacity building on resolution 1540 implementation, batch {pk % 97}.",
                rng.choice(statuses),
                start,
                end,
                None,
                "",
                rng.random() < 0.2,
                "",
                beneficiaries,
                [],
                "",
            )
        )
    timings["generate rows"] = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        copy_rows(
            Program._meta.db_table,
            [
                "id",
                "organization_id",
                "state",
                "audience",
                "created",
                "updated",
                "title",
                "summary",
                "status",
                "start_date",
                "end_date",
                "budget",
                "currency",
                "assistance_on_request",
                "website",
                "beneficiary_countries",
                "funding_states",
                "external_key",
            ],
            programs,
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{Program._meta.db_table}', 'id'), %s)", [N_PROGRAMS])
        copy_rows(Program.shared_with.through._meta.db_table, ["program_id", "organization_id"], shared)
    timings["copy programs and shared_with"] = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        context = seed_context(random.Random(SEED + 1))
    timings["reference data, tags, partners, interactions"] = time.perf_counter() - started

    started = time.perf_counter()
    grants = services.grants_rebuild(Program)
    timings["grants_rebuild"] = time.perf_counter() - started

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["VACUUM ANALYZE"] = time.perf_counter() - started

    all_iros, public = (Group.objects.get(name=name) for name in (ALL_IROS_GROUP, PUBLIC_GROUP))
    # The guardian baseline needs real membership rows (the policy never uses them).
    member_b1.groups.add(b1.group, all_iros, public)
    return {
        "timings": timings,
        "grants": grants,
        "shared_rows": len(shared),
        **context,
    }


INTERACTION_COLUMNS = [
    "id",
    "date",
    "date_precision",
    "kind",
    "summary",
    "outcome",
    "follow_up",
    "follow_up_due",
    "public",
    "created",
    "external_key",
]


# Titles and summaries drawn from the words of the field, so that a search matches what it would in real entries
# (a few words match thousands of programs, most match a few hundred or fewer) rather than every program alike.
TOPICS = [
    "Export control",
    "Border security",
    "Customs enforcement",
    "Nuclear security",
    "Radiological source security",
    "Chemical safety and security",
    "Biosafety and biosecurity",
    "Strategic trade control",
    "Proliferation financing",
    "Maritime interdiction",
    "Physical protection",
    "Legislative assistance",
    "National implementation action plan",
    "Counter-smuggling",
    "Dual-use goods licensing",
    "Laboratory biosecurity",
    "Radiation detection",
    "Transshipment control",
    "Sanctions implementation",
    "Missile technology control",
]
ACTIVITIES = [
    "training course",
    "workshop",
    "expert mission",
    "peer review",
    "equipment donation",
    "tabletop exercise",
    "regional seminar",
    "legislative review",
    "capacity-building project",
    "outreach campaign",
    "mentoring programme",
    "awareness briefing",
]
AUDIENCES = [
    "customs officers",
    "border guards",
    "licensing authorities",
    "prosecutors and judges",
    "laboratory staff",
    "port authorities",
    "financial intelligence units",
    "national regulators",
    "parliamentarians",
    "industry compliance officers",
    "first responders",
    "policy makers",
]


def synthetic_text(rng: random.Random, place: str) -> tuple[str, str]:
    topic, activity, audience = rng.choice(TOPICS), rng.choice(ACTIVITIES), rng.choice(AUDIENCES)
    other, second = rng.choice(TOPICS).lower(), rng.choice(AUDIENCES)
    title = f"{topic} {activity} for {audience}" + (f" in {place}" if place else "")
    summary = (
        f"A {activity} on {topic.lower()} under resolution 1540 (2004) for {audience}"
        f"{' of ' + place if place else ''}, with a follow-up on {other} for {second}."
    )
    return title, summary


def seed_context(rng: random.Random) -> dict:
    """What the pages around the list read: the reference data (thematic areas, M49 regions, the organizations,
    events and IGO tables of `seed_reference`), each synthetic program's thematic areas, regions and partners,
    the synthetic organizations' regions and mandates, and 2,000 interactions.

    Its own random generator, so the programs' rows (and the visibility figures) are the same as without it.
    Region tags follow the beneficiary countries where a program names some (their M49 sub-regions), so the
    cooperation map's duplication and gaps see data shaped like real entries.
    """
    # after django.setup()
    from django_countries import countries as countries_list

    from iros import reference_data
    from iros.management.commands.seed_reference import seed_reference
    from iros.models import Interaction, Organization, Region, ThematicArea
    from portal.kernel.bulk_copy import copy_rows
    from programs.models import Program, ProgramPartner

    seed_reference()
    areas = list(ThematicArea.objects.order_by("family", "position").values_list("pk", flat=True))
    regions = {region.code: region for region in Region.objects.all()}
    leaf_of = {
        country: regions[code].pk
        for code, countries in reference_data.REGION_COUNTRIES.items()
        for country in countries
    }
    leaves = [regions[code].pk for code in reference_data.REGION_COUNTRIES]
    continents = [region.pk for region in regions.values() if region.parent_id == regions["001"].pk]
    area_cum, total = [], 0.0
    for weight in zipf_weights(len(areas), s=0.8, shift=2):
        total += weight
        area_cum.append(total)
    area_rows, region_rows, partner_rows, texts = [], [], [], []
    synthetic = Program.objects.filter(title__startswith="Synthetic program ")
    organization_ids = list(Organization.objects.values_list("pk", flat=True))
    country_names = dict(countries_list)
    for pk, owner, countries in synthetic.values_list("pk", "organization_id", "beneficiary_countries").iterator():
        texts.append((pk, *synthetic_text(rng, ", ".join(country_names.get(code, code) for code in countries))))
        chosen = {areas[_bisect(area_cum, rng.random() * total)] for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))}
        area_rows.extend((pk, area) for area in sorted(chosen))
        roll = rng.random()
        if countries and roll < 0.7:
            tags = {leaf_of[country] for country in countries if country in leaf_of}
        elif roll < 0.1:
            tags = set()
        elif roll < 0.2:
            tags = {regions["001"].pk}
        elif roll < 0.4:
            tags = {rng.choice(continents)}
        else:
            tags = set(rng.sample(leaves, rng.choice((1, 1, 1, 2))))
        region_rows.extend((pk, region) for region in sorted(tags))
        if rng.random() < 0.3:
            for organization in rng.sample(organization_ids, rng.randint(1, 2)):
                if organization != owner:
                    partner_rows.append((pk, organization, rng.choice(ProgramPartner.Role.values)))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_text (id bigint, title text, summary text) ON COMMIT DROP")
        copy_rows("bench_text", ["id", "title", "summary"], texts)
        cursor.execute(
            f"UPDATE {Program._meta.db_table} p SET title = t.title, summary = t.summary FROM bench_text t"
            " WHERE p.id = t.id"
        )
    copy_rows(Program.thematic_areas.through._meta.db_table, ["program_id", "thematicarea_id"], area_rows)
    copy_rows(Program.regions.through._meta.db_table, ["program_id", "region_id"], region_rows)
    copy_rows(ProgramPartner._meta.db_table, ["program_id", "organization_id", "role"], partner_rows)

    # The synthetic organizations serve one to three regions and hold a few mandate areas (the map's second layer).
    served, mandates = [], []
    for organization in Organization.objects.filter(acronym__regex=r"^(B[12]|IRO-\d+)$").values_list("pk", flat=True):
        served.extend((organization, region) for region in rng.sample(leaves + continents, rng.randint(1, 3)))
        mandates.extend((organization, area) for area in rng.sample(areas, rng.randint(1, 4)))
    copy_rows(Organization.regions.through._meta.db_table, ["organization_id", "region_id"], served)
    copy_rows(Organization.mandate_areas.through._meta.db_table, ["organization_id", "thematicarea_id"], mandates)

    # 2,000 interactions over ten years, each with one or two organizations; about one in ten public.
    today = dt.date.today()
    kinds = Interaction.Kind.values
    first_id = (Interaction.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    interactions, involved = [], []
    for pk in range(first_id, first_id + 2000):
        day = today - dt.timedelta(days=rng.randrange(3650))
        due = day + dt.timedelta(days=rng.randrange(30, 365)) if rng.random() < 0.3 else None
        interactions.append(
            (
                pk,
                day,
                "day",
                rng.choice(kinds),
                f"Synthetic interaction {pk}: exchange on resolution 1540 implementation and assistance.",
                "",
                "Follow-up agreed." if due else "",
                due,
                rng.random() < 0.1,
                dt.datetime.combine(day, dt.time(12), dt.UTC),
                "",
            )
        )
        involved.extend((pk, organization) for organization in rng.sample(organization_ids, rng.randint(1, 2)))
    copy_rows(
        Interaction._meta.db_table,
        INTERACTION_COLUMNS,
        interactions,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{Interaction._meta.db_table}', 'id'), %s)", [first_id + 1999]
        )
    copy_rows(Interaction.organizations.through._meta.db_table, ["interaction_id", "organization_id"], involved)
    return {
        "thematic area tags": len(area_rows),
        "region tags": len(region_rows),
        "partners": len(partner_rows),
        "interactions": len(interactions),
    }


def _bisect(cumulative: list[float], value: float) -> int:
    return min(bisect.bisect_left(cumulative, value), len(cumulative) - 1)


# --- measuring ------------------------------------------------------------------------------------------------


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def page_and_count(queryset_factory) -> tuple[list, int]:
    queryset = queryset_factory()
    page = list(queryset[:50])
    return page, queryset.count()


def scenarios() -> dict:
    # after django.setup()
    from guardian.shortcuts import get_objects_for_user

    from portal.accounts.models import User
    from programs.models import Program
    from programs.selectors import program_list_for

    committee = User.objects.get(username="bench-committee")
    member_b1 = User.objects.get(username="bench-b1-member")
    member_b2 = User.objects.get(username="bench-b2-member")
    return {
        "a0": (
            "no filter at all (the floor)",
            lambda: Program.objects.select_related("organization").order_by("-updated", "-id"),
        ),
        "a": ("Committee expert: program_list_for (state = submitted)", lambda: program_list_for(actor=committee)),
        "b1": ("member of B1: program_list_for / visible_to", lambda: program_list_for(actor=member_b1)),
        "b2": ("member of B2: program_list_for / visible_to", lambda: program_list_for(actor=member_b2)),
        "c": (
            "member of B1: guardian get_objects_for_user",
            lambda: get_objects_for_user(
                member_b1,
                "programs.view_program",
                Program.objects.select_related("organization"),
                accept_global_perms=False,
            ).order_by("-updated", "-id"),
        ),
    }


def oracle_count(organization_acronym: str) -> int:
    """Visible programs computed from the records' own fields, never from the grant index."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM programs_program p JOIN iros_organization me ON me.acronym = %s
            WHERE p.organization_id = me.id
               OR (p.state = 'submitted' AND (p.audience IN ('all_iros', 'public')
                   OR (p.audience = 'selected' AND EXISTS (SELECT 1 FROM programs_program_shared_with s
                                                           WHERE s.program_id = p.id AND s.organization_id = me.id))))
            """,
            [organization_acronym],
        )
        return cursor.fetchone()[0]


def measure(cases: dict, iterations: int, warmup: int, rng: random.Random) -> dict:
    keys = list(cases)
    for _ in range(warmup):
        for key in keys:
            page_and_count(cases[key][1])
    samples = {key: [] for key in keys}
    for _ in range(iterations):
        rng.shuffle(keys)  # interleaved, in a random order each round: drift hits every case alike
        for key in keys:
            started = time.perf_counter()
            page_and_count(cases[key][1])
            samples[key].append(time.perf_counter() - started)
    return samples


def explain(queryset_factory) -> list[tuple[str, str, str]]:
    with CaptureQueriesContext(connection) as captured:
        page_and_count(queryset_factory)
    plans = []
    with connection.cursor() as cursor:
        for label, query in zip(("page of 50", "count"), captured.captured_queries[-2:], strict=True):
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plans.append((label, query["sql"], "\n".join(row[0] for row in cursor.fetchall())))
    return plans


def audience_changes(iterations: int, warmup: int, rng: random.Random) -> tuple[list[float], list[float]]:
    # after django.setup()
    from confidentiality.models import Audience, State
    from confidentiality.services import submission_set_audience
    from iros.models import Membership, Organization
    from programs.models import Program

    focal_points = {
        membership.organization_id: membership.user
        for membership in Membership.objects.filter(user__username__startswith="bench-fp-").select_related("user")
    }
    candidates = list(
        Program.objects.filter(organization_id__in=focal_points, state=State.SUBMITTED).values_list("pk", flat=True)
    )
    organization_ids = list(Organization.objects.values_list("pk", flat=True))
    cycle = [Audience.SELECTED, Audience.ALL_IROS, Audience.PUBLIC, Audience.COMMITTEE]
    samples, reference = [], []
    cursor = connection.cursor()
    for i in range(warmup + iterations):
        program = Program.objects.get(pk=rng.choice(candidates))
        audience = cycle[i % len(cycle)]
        if audience == program.audience:
            audience = cycle[(i + 1) % len(cycle)]
        shared_with = []
        if audience == Audience.SELECTED:
            pool = [pk for pk in organization_ids if pk != program.organization_id]
            shared_with = rng.sample(pool, rng.randint(1, 6))
        actor = focal_points[program.organization_id]
        started = time.perf_counter()
        submission_set_audience(actor=actor, record=program, audience=audience, shared_with=shared_with)
        elapsed = time.perf_counter() - started
        idle = reference_transaction(cursor, rng)  # interleaved, so both see the same load
        if i >= warmup:
            samples.append(elapsed)
            reference.append(idle)
    cursor.close()
    return samples, reference


def reference_transaction(cursor, rng: random.Random) -> float:
    """The same round trips as an audience change doing no work: 11 one-row SELECTs, 1 UPDATE and COMMIT.

    It shows what the machine's load alone costs a short transaction (each statement waits for a core).
    """
    ids = [rng.randint(1, N_PROGRAMS) for _ in range(12)]
    started = time.perf_counter()
    with transaction.atomic():
        for pk in ids[:11]:
            cursor.execute("SELECT id, organization_id, audience FROM programs_program WHERE id = %s", [pk])
            cursor.fetchall()
        cursor.execute("UPDATE programs_program SET title = title WHERE id = %s", [ids[11]])
    return time.perf_counter() - started


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute(
            "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings"
            " WHERE name IN ('shared_buffers', 'work_mem', 'random_page_cost', 'jit',"
            " 'max_parallel_workers_per_gather', 'effective_cache_size')"
        )
        settings = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()},"
        f" PostgreSQL {server} ({settings})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=200, help="timed iterations per case (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed iterations per case first (default 20)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure the existing bench database (no seeding)")
    parser.add_argument("--results", type=Path, help="also write the report to this Markdown file")
    parser.add_argument(
        "--seed-only", action="store_true", help="create and seed the bench database, keep it, measure nothing"
    )
    args = parser.parse_args()
    if args.seed_only and args.reuse:
        parser.error("--seed-only creates the database: it cannot --reuse one")
    args.keep = args.keep or args.seed_only
    if args.iterations < 100:
        parser.error("at least 100 iterations")

    url = bench_url()
    run_started = time.perf_counter()
    out: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        out.append(line)

    if not args.reuse:
        database_create(url)
    setup_django(url)
    from programs.models import Program, ProgramGrant  # after django.setup()

    rng = random.Random(SEED)
    try:
        if not args.reuse:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            # Database-level settings from the migrations (ALTER DATABASE ... SET) apply to new sessions.
            connections.close_all()
            migrate_seconds = time.perf_counter() - started
            started = time.perf_counter()
            seeded = seed(rng)
            seed_seconds = time.perf_counter() - started
        say(f"# make bench — {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
        say(f"machine: {machine()}")
        say("load average at start (1, 5, 15 min): " + ", ".join(f"{value:.2f}" for value in os.getloadavg()))
        say(f"database: {connection.settings_dict['NAME']}")
        if not args.reuse:
            say(f"migrate: {migrate_seconds:.1f} s; seeding: {seed_seconds:.1f} s")
            for step, seconds in seeded["timings"].items():
                say(f"  {step}: {seconds:.1f} s")
        if args.seed_only:
            say(f"seeded and kept: {Program.objects.count():,} programs, {ProgramGrant.objects.count():,} grant rows")
            return

        view = ProgramGrant.objects.filter(permission__codename="view_program").count()
        say(
            f"data: {Program.objects.count():,} programs ({Program.objects.filter(state='draft').count():,} drafts),"
            f" {Program.shared_with.through.objects.count():,} shared_with rows,"
            f" {ProgramGrant.objects.count():,} grant rows of which {view:,} view grants"
        )
        audiences = dict(Program.objects.values_list("audience").annotate(n=Count("id")))
        say("audiences: " + ", ".join(f"{name} {audiences.get(name, 0):,}" for name in sorted(audiences)))

        cases = scenarios()
        b1_page, b1_count = page_and_count(cases["b1"][1])
        b2_page, b2_count = page_and_count(cases["b2"][1])
        c_page, c_count = page_and_count(cases["c"][1])
        a_count = page_and_count(cases["a"][1])[1]
        total = Program.objects.count()
        for key, count, acronym in (("b1", b1_count, "B1"), ("b2", b2_count, "B2")):
            expected = oracle_count(acronym)
            say(f"{key} sees {count:,} programs = {count / total:.1%} (oracle from the fields: {expected:,})")
            if count != expected:
                sys.exit(f"{key}: visible_to disagrees with the oracle")
        if (c_count, [p.pk for p in c_page]) != (b1_count, [p.pk for p in b1_page]):
            sys.exit("guardian's baseline and visible_to disagree for B1")
        say(f"a (Committee) sees {a_count:,} programs = {a_count / total:.1%}")
        say()

        samples = measure(cases, args.iterations, args.warmup, rng)
        say(
            f"first page of 50 + total count, ordered by -updated, -id, select_related('organization');"
            f" {args.iterations} iterations each after {args.warmup} warm-up, interleaved"
        )
        say(f"{'case':<4} {'p50 ms':>8} {'p95 ms':>8}  what")
        p50 = {key: percentile(values, 50) for key, values in samples.items()}
        p95 = {key: percentile(values, 95) for key, values in samples.items()}
        for key, (label, _factory) in cases.items():
            say(f"{key:<4} {ms(p50[key]):>8} {ms(p95[key]):>8}  {label}")
        floor = min(("a0", "a"), key=lambda key: p50[key])
        say()
        say(f"floor = {floor} (the faster of a0 and a at p50)")
        for num, den in (("b1", floor), ("b2", floor), ("c", "b1")):
            say(f"{num}/{den}: p50 {p50[num] / p50[den]:.2f}  p95 {p95[num] / p95[den]:.2f}")
        say(f"b1/a: p50 {p50['b1'] / p50['a']:.2f}  p95 {p95['b1'] / p95['a']:.2f}")
        say(f"b2/a: p50 {p50['b2'] / p50['a']:.2f}  p95 {p95['b2'] / p95['a']:.2f}")
        verdicts = [
            f"{key}/{floor} p50 {p50[key] / p50[floor]:.2f} ≤ 1.5: {p50[key] / p50[floor] <= 1.5}"
            for key in ("b1", "b2")
        ]
        say("targets (against the floor): " + "; ".join(verdicts))
        say()

        for key in ("b1", "b2"):
            for label, sql, plan in explain(cases[key][1]):
                say(f"## EXPLAIN (ANALYZE, BUFFERS) {key}, {label}")
                say(sql)
                say(plan)
                say()

        changes, reference = audience_changes(max(100, args.iterations // 2), 10, rng)
        say(
            f"audience change (submission_set_audience by the owner's focal point, one transaction, {len(changes)}"
            f" iterations): p50 {ms(percentile(changes, 50))} ms, p95 {ms(percentile(changes, 95))} ms,"
            f" max {ms(max(changes))} ms"
        )
        say("load average at end (1, 5, 15 min): " + ", ".join(f"{value:.2f}" for value in os.getloadavg()))
        say(
            f"reference, the same round trips doing no work (11 one-row SELECTs, 1 UPDATE, COMMIT):"
            f" p50 {ms(percentile(reference, 50))} ms, p95 {ms(percentile(reference, 95))} ms"
        )
        say(f"target audience change p95 < 20 ms: {percentile(changes, 95) < 0.020}")
        say(f"total run: {time.perf_counter() - run_started:.0f} s")
    finally:
        if not args.keep:
            database_drop(url)
    if args.results:
        args.results.write_text("```\n" + "\n".join(out) + "\n```\n")


if __name__ == "__main__":
    main()
