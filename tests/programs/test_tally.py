"""The program tally (`ProgramTally`): the database's triggers keep it equal to a count from scratch after every
kind of write — the services' create, update, state and audience changes and delete, and raw bulk writes — and
only viewers who see every program of a state read it."""

from collections import Counter

import pytest
from django.db import connection

from confidentiality import policies
from confidentiality.models import Audience, State
from confidentiality.services import submission_set_audience, submission_submit, submission_withdraw
from iros.models import Region, ThematicArea
from portal.pages.dashboard import selectors as dashboard
from programs import services
from programs.models import Program, ProgramTally
from programs.selectors import ProgramTallies, program_tallies_for
from tests.factories import (
    OrganizationFactory,
    ProgramFactory,
    RegionFactory,
    ThematicAreaFactory,
    persona_user,
)

pytestmark = pytest.mark.django_db


def tally() -> dict[tuple[str, int, str], int]:
    return {
        (row.dimension, row.key, row.state): row.programs for row in ProgramTally.objects.all() if row.programs != 0
    }


def recount() -> dict[tuple[str, int, str], int]:
    """The tally worked out from the programs and their links, in Python."""
    parent = dict(Region.objects.values_list("pk", "parent_id"))

    def around(region_id):
        while region_id is not None:
            yield region_id
            region_id = parent[region_id]

    counts = Counter()
    for program in Program.objects.prefetch_related("thematic_areas", "regions"):
        counts["all", 0, program.state] += 1
        for area in program.thematic_areas.all():
            counts["thematic_area", area.pk, program.state] += 1
        within = set()
        for region in program.regions.all():
            counts["region_tag", region.pk, program.state] += 1
            within.update(around(region.pk))
        for region_id in within:
            counts["region", region_id, program.state] += 1
    return dict(counts)


@pytest.fixture
def tree():
    world = RegionFactory(code="001", name="World")
    africa = Region.objects.create(code="002", name="Africa", parent=world)
    east = Region.objects.create(code="014", name="Eastern Africa", parent=africa)
    west = Region.objects.create(code="011", name="Western Africa", parent=africa)
    europe = Region.objects.create(code="150", name="Europe", parent=world)
    areas = [ThematicAreaFactory(code=code, name=code) for code in ("nuclear", "chemical", "op3c")]
    return {"world": world, "africa": africa, "east": east, "west": west, "europe": europe, "areas": areas}


def test_the_services_keep_the_tally_exact(tree):
    # given a focal point and an administrator
    owner = OrganizationFactory(acronym="OWN")
    other = OrganizationFactory(acronym="OTH")
    focal = persona_user("focal_point", owner)
    admin = persona_user("admin")

    # when programs are created, drafts and submitted, with overlapping regions
    first = services.program_create(
        actor=focal, organization=owner, title="One", thematic_areas=["nuclear", "op3c"], regions=["014", "011"]
    )
    second = services.program_create(
        actor=focal,
        organization=owner,
        title="Two",
        thematic_areas=["nuclear"],
        regions=["002", "014", "150"],
        state=State.SUBMITTED,
        audience=Audience.SELECTED,
        shared_with=[other],
    )
    # then
    assert tally() == recount()
    assert tally()["region", tree["africa"].pk, State.SUBMITTED] == 1  # tagged twice inside Africa, counted once
    assert tally()["region", tree["world"].pk, State.DRAFT] == 1

    # when links change: one region of two inside Africa goes, another comes, the areas are replaced
    services.program_update(actor=focal, program=first, regions=["011", "001"], thematic_areas=["chemical"])
    assert tally() == recount()
    services.program_update(actor=focal, program=first, regions=[], thematic_areas=[])
    assert tally() == recount()
    services.program_update(actor=focal, program=first, regions=["014"], title="One, again")
    assert tally() == recount()

    # when the state and the audience change
    submission_submit(actor=focal, record=first)
    assert tally() == recount()
    submission_set_audience(actor=focal, record=first, audience=Audience.PUBLIC)
    assert tally() == recount()
    submission_withdraw(actor=focal, record=second)
    assert tally() == recount()
    services.program_update(actor=focal, program=second, state=State.SUBMITTED, regions=["011"])
    assert tally() == recount()

    # when a program is deleted
    services.program_delete(actor=admin, program=second)
    assert tally() == recount()
    assert tally()["all", 0, State.SUBMITTED] == 1


def test_bulk_and_raw_writes_keep_the_tally_exact(tree):
    owner = OrganizationFactory()
    nuclear, chemical, border = tree["areas"]
    programs = Program.objects.bulk_create(
        [
            ProgramFactory.build(organization=owner, state=State.SUBMITTED if number % 3 else State.DRAFT)
            for number in range(12)
        ]
    )
    Program.thematic_areas.through.objects.bulk_create(
        [Program.thematic_areas.through(program=program, thematicarea=nuclear) for program in programs]
        + [Program.thematic_areas.through(program=program, thematicarea=chemical) for program in programs[::2]]
    )
    Program.regions.through.objects.bulk_create(
        [Program.regions.through(program=program, region=tree["east"]) for program in programs]
        + [Program.regions.through(program=program, region=tree["west"]) for program in programs[::3]]
        + [Program.regions.through(program=program, region=tree["world"]) for program in programs[::4]]
    )
    assert tally() == recount()

    # a bulk state change, link changes of several programs at once, a raw UPDATE of links
    Program.objects.filter(pk__in=[program.pk for program in programs[:6]]).update(state=State.SUBMITTED)
    assert tally() == recount()
    Program.regions.through.objects.filter(region=tree["east"], program__in=programs[::2]).delete()
    assert tally() == recount()
    Program.thematic_areas.through.objects.filter(thematicarea=chemical).update(thematicarea=border)
    Program.regions.through.objects.filter(region=tree["west"]).update(region=tree["europe"])
    assert tally() == recount()

    # a region moved in the tree (Eastern Africa into Europe), a thematic area deleted with its links
    Region.objects.filter(pk=tree["east"].pk).update(parent=tree["europe"])
    assert tally() == recount()
    ThematicArea.objects.filter(pk=border.pk).delete()
    assert tally() == recount()

    # programs deleted in bulk (links first, as Django deletes them), then a program row deleted before its links
    Program.objects.filter(pk__in=[program.pk for program in programs[:4]]).delete()
    assert tally() == recount()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("DELETE FROM programs_program WHERE id = %s", [programs[4].pk])
        cursor.execute("DELETE FROM programs_program_regions WHERE program_id = %s", [programs[4].pk])
        cursor.execute("DELETE FROM programs_program_thematic_areas WHERE program_id = %s", [programs[4].pk])
    assert tally() == recount()


def test_links_written_before_their_program_count_once(tree):
    # deferred foreign keys let a link arrive before the program (as a COPY of links first would)
    owner = OrganizationFactory()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SELECT nextval(pg_get_serial_sequence('programs_program', 'id'))")
        (pk,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO programs_program_regions (program_id, region_id) VALUES (%s, %s)", [pk, tree["east"].pk]
        )
        ProgramFactory(pk=pk, organization=owner, state=State.SUBMITTED)
    assert tally() == recount()
    assert tally()["region", tree["africa"].pk, State.SUBMITTED] == 1


def test_a_truncate_rebuilds_the_tally(tree):
    ProgramFactory(state=State.SUBMITTED).regions.add(tree["east"])
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending foreign key checks
        cursor.execute("TRUNCATE programs_program_regions")
    assert tally() == recount()


@pytest.mark.parametrize(
    ("persona", "states"),
    [
        ("admin", {State.DRAFT, State.SUBMITTED}),
        ("committee", {State.SUBMITTED}),
        ("focal_point", set()),
        ("member", set()),
        ("anonymous", set()),
    ],
)
def test_only_viewers_who_see_every_program_of_a_state_read_its_tally(tree, persona, states):
    owner = OrganizationFactory()
    ProgramFactory(organization=owner, state=State.SUBMITTED)
    ProgramFactory(organization=owner, state=State.DRAFT)
    user = persona_user(persona, owner if persona in ("focal_point", "member") else None)

    readable = set(policies.visible_to(user, ProgramTally.objects.all()).values_list("state", flat=True))
    assert readable == states
    tallies = program_tallies_for(actor=user)
    for state in State.values:
        assert tallies.of(ProgramTally.Dimension.ALL, state) == ({0: 1} if state in states else None)


@pytest.mark.parametrize("persona", ["committee", "admin"])
def test_the_committee_dashboard_from_the_tally_equals_the_counted_one(tree, monkeypatch, persona):
    owner = OrganizationFactory()
    for number in range(9):
        program = ProgramFactory(organization=owner, state=State.SUBMITTED if number % 4 else State.DRAFT)
        program.thematic_areas.set(tree["areas"][: 1 + number % 3])
        program.regions.set([tree["east"], tree["west"], tree["world"], tree["europe"]][number % 4 :][:2])
    committee = persona_user(persona)

    tallied = (
        dashboard.program_figures(actor=committee),
        dashboard.submissions_by_thematic_area(actor=committee),
        dashboard.submissions_by_region(actor=committee),
    )
    monkeypatch.setattr(dashboard, "program_tallies_for", lambda **kwargs: ProgramTallies(states=(), counts={}))
    counted = (
        dashboard.program_figures(actor=committee),
        dashboard.submissions_by_thematic_area(actor=committee),
        dashboard.submissions_by_region(actor=committee),
    )
    assert tallied == counted
    assert tallied[0]["submitted"] == 6
    assert tallied[0]["drafts"] == (3 if persona == "admin" else 0)
