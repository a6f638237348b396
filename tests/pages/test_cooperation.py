"""The cooperation map: thematic area × region counts of visible programs, gaps, possible duplication, mandates."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from iros.models import ThematicArea
from portal.pages.cooperation.selectors import _has_overlap, cooperation_matrix
from programs.filters import ProgramFilterSet
from programs.models import Program
from programs.selectors import program_list_for
from tests.factories import (
    PERSONAS,
    OrganizationFactory,
    ProgramFactory,
    RegionFactory,
    ThematicAreaFactory,
    UserFactory,
    persona_user,
)

pytestmark = pytest.mark.django_db


def program(organization, *, areas, regions, audience=Audience.ALL_IROS, state=State.SUBMITTED, **fields):
    record = ProgramFactory(organization=organization, state=state, audience=audience, **fields)
    record.thematic_areas.set(areas)
    record.regions.set(regions)
    grants_write(record)
    return record


@pytest.fixture
def atlas():
    world = RegionFactory(code="001", name="World")
    africa = RegionFactory(code="002", name="Africa", parent=world)
    western_africa = RegionFactory(
        code="011", name="Western Africa", parent=RegionFactory(code="202", name="Sub-Saharan Africa", parent=africa)
    )
    northern_africa = RegionFactory(code="015", name="Northern Africa", parent=africa)
    europe = RegionFactory(code="150", name="Europe", parent=world)
    nuclear = ThematicAreaFactory(code="nuclear", family=ThematicArea.Family.WEAPON, name="Nuclear")
    chemical = ThematicAreaFactory(code="chemical", family=ThematicArea.Family.WEAPON, name="Chemical")
    op3c = ThematicAreaFactory(code="op3c", family=ThematicArea.Family.RESOLUTION, name="Border controls")
    au = OrganizationFactory(acronym="AU")
    ecowas = OrganizationFactory(acronym="ECOWAS")
    osce = OrganizationFactory(acronym="OSCE")
    iaea = OrganizationFactory(acronym="IAEA")
    iaea.regions.add(world)
    iaea.mandate_areas.add(nuclear)
    ecowas.regions.add(western_africa)
    ecowas.mandate_areas.add(chemical)
    records = {
        # AU and ECOWAS both work on nuclear security in Africa, in overlapping years: possible duplication.
        "au_nuclear": program(
            au, areas=[nuclear], regions=[africa], start_date=date(2010, 1, 1), end_date=date(2012, 12, 31)
        ),
        "ecowas_nuclear": program(ecowas, areas=[nuclear], regions=[western_africa], start_date=date(2012, 6, 1)),
        # OSCE alone in Europe.
        "osce_nuclear": program(osce, areas=[nuclear, op3c], regions=[europe]),
        # A global program: broader than every continent.
        "iaea_global": program(iaea, areas=[op3c], regions=[world]),
        # Hidden from other IROs: ECOWAS keeps this one to the Committee.
        "ecowas_hidden": program(ecowas, areas=[chemical], regions=[northern_africa], audience=Audience.COMMITTEE),
        # A draft: seen by its owner and administrators only.
        "au_draft": program(au, areas=[chemical], regions=[europe], state=State.DRAFT),
    }
    return {
        "regions": {"world": world, "africa": africa, "europe": europe, "western_africa": western_africa},
        "areas": {"nuclear": nuclear, "chemical": chemical, "op3c": op3c},
        "AU": au,
        "ECOWAS": ecowas,
        "OSCE": osce,
        "IAEA": iaea,
        **records,
    }


def cell_of(matrix, area_code, region_code):
    for cell in matrix.cells():
        if cell.area.code == area_code and cell.column.region.code == region_code:
            return cell
    raise AssertionError(f"no cell {area_code} × {region_code}")


def list_count(user, area_code, region_code) -> int:
    """The oracle: what the program list filtered by the cell's link shows the same user."""
    filterset = ProgramFilterSet(
        {"thematic_area": area_code, "region": region_code}, queryset=program_list_for(actor=user)
    )
    return filterset.qs.count()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_map_renders_for_every_signed_in_persona(client, atlas, persona):
    user = persona_user(persona, atlas["AU"])
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("cooperation:map"))

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 200
        assert "Nuclear" in response.content.decode()


@pytest.mark.parametrize("persona", ["member", "focal_point", "committee", "admin"])
@pytest.mark.parametrize("level", ["continent", "subregion"])
def test_every_cell_equals_the_filtered_program_list_it_links_to(atlas, persona, level):
    user = persona_user(persona, atlas["AU"])

    matrix = cooperation_matrix(actor=user, level=level)

    for cell in matrix.cells():
        assert cell.programs == list_count(user, cell.area.code, cell.column.region.code), (
            cell.area.code,
            cell.column.region.code,
        )
        assert cell.url == (
            f"{reverse('programs:list')}?thematic_area={cell.area.code}&region={cell.column.region.code}"
        )


def test_a_hidden_program_adds_nothing_for_an_iro_that_cannot_see_it(client, atlas):
    member = UserFactory(organization=atlas["OSCE"])
    committee = persona_user("committee")

    hidden_for_member = cell_of(cooperation_matrix(actor=member), "chemical", "002")
    seen_by_committee = cell_of(cooperation_matrix(actor=committee), "chemical", "002")

    assert hidden_for_member.programs == 0 and hidden_for_member.owner_list == []
    assert seen_by_committee.programs == 1 and seen_by_committee.owner_list == ["ECOWAS"]
    client.force_login(member)
    body = client.get(reverse("cooperation:map")).content.decode()
    assert 'data-status="gap" data-area="chemical" data-region="002"' in body


def test_drafts_count_for_their_owner_only(atlas):
    owner = UserFactory(organization=atlas["AU"])
    committee = persona_user("committee")

    assert cell_of(cooperation_matrix(actor=owner), "chemical", "150").programs == 1
    assert cell_of(cooperation_matrix(actor=committee), "chemical", "150").programs == 0


def test_counts_owners_duplication_gaps_and_broader_programs(atlas):
    committee = persona_user("committee")

    matrix = cooperation_matrix(actor=committee)

    nuclear_africa = cell_of(matrix, "nuclear", "002")
    assert (nuclear_africa.programs, nuclear_africa.owner_list) == (2, ["AU", "ECOWAS"])
    assert nuclear_africa.status == "duplication"
    assert cell_of(matrix, "nuclear", "150").status == "covered"
    # Border controls in Africa: nothing there, but the IAEA's global program may cover it.
    border_africa = cell_of(matrix, "op3c", "002")
    assert (border_africa.programs, border_africa.broader, border_africa.status) == (0, 1, "broad")
    assert cell_of(matrix, "chemical", "150").status == "gap"
    # The "All regions" column counts every program of the theme.
    assert cell_of(matrix, "nuclear", "001").programs == 3
    assert [(cell.area.code, cell.column.region.code) for cell in matrix.duplications] == [("nuclear", "002")]


def test_programs_of_different_iros_that_do_not_overlap_are_no_duplication(atlas):
    atlas["ecowas_nuclear"].start_date = date(2013, 1, 1)
    atlas["ecowas_nuclear"].save()

    cell = cell_of(cooperation_matrix(actor=persona_user("committee")), "nuclear", "002")

    assert cell.programs == 2 and not cell.duplication


def test_cancelled_programs_are_no_duplication(atlas):
    atlas["ecowas_nuclear"].status = Program.Status.CANCELLED
    atlas["ecowas_nuclear"].save()

    assert not cell_of(cooperation_matrix(actor=persona_user("committee")), "nuclear", "002").duplication


def test_mandates_layer(atlas):
    matrix = cooperation_matrix(actor=persona_user("committee"), level="subregion")

    # The IAEA serves the world: its nuclear mandate covers every sub-region; ECOWAS's chemical mandate, its own.
    assert cell_of(matrix, "nuclear", "202").mandated == ["IAEA"]
    assert cell_of(matrix, "chemical", "202").mandated == ["ECOWAS"]
    assert cell_of(matrix, "chemical", "015").mandated == []


def test_sub_region_level_groups_columns_under_their_continent(atlas):
    matrix = cooperation_matrix(actor=persona_user("committee"), level="subregion")

    codes = [column.region.code for column in matrix.columns]
    assert codes == ["015", "202", "001"]
    assert [(continent.code if continent else None, span) for continent, span in matrix.column_groups] == [
        ("002", 2),
        (None, 1),
    ]
    assert cell_of(matrix, "nuclear", "202").programs == 1  # ECOWAS (Western Africa lies in Sub-Saharan Africa)
    assert cell_of(matrix, "nuclear", "202").broader == 1  # the AU's Africa-wide program


def test_family_filter_and_unknown_options(client, atlas):
    client.force_login(persona_user("committee"))

    weapons = client.get(reverse("cooperation:map"), {"family": "weapon"})
    odd = client.get(reverse("cooperation:map"), {"family": "nope", "level": "planet", "mandates": "x"})

    assert [group.family for group in weapons.context["matrix"].groups] == ["weapon"]
    assert odd.status_code == 200
    assert odd.context["matrix"].level == "continent"
    assert [group.family for group in odd.context["matrix"].groups] == ["weapon", "resolution"]


def test_overlap_sweep_against_brute_force():
    import itertools
    import random

    rng = random.Random(1540)
    for _ in range(3000):
        spans = []
        for _i in range(rng.randint(0, 6)):
            start = date(2000, 1, rng.randint(1, 25))
            spans.append((start, date(2000, 1, min(31, start.day + rng.randint(0, 6))), rng.choice("ABC")))
        expected = any(a[2] != b[2] and a[0] <= b[1] and b[0] <= a[1] for a, b in itertools.combinations(spans, 2))
        assert _has_overlap(spans) is expected, spans


@pytest.mark.parametrize("persona", ["committee", "member"])
def test_query_count_does_not_grow_with_programs(client, persona):
    world = RegionFactory(code="001", name="World")
    africa = RegionFactory(code="002", name="Africa", parent=world)
    area = ThematicAreaFactory(code="nuclear")
    first = OrganizationFactory(acronym="FIRST")
    program(first, areas=[area], regions=[africa])
    client.force_login(persona_user(persona, first))
    client.get(reverse("cooperation:map"))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("cooperation:map")).status_code == 200
        return len(captured)

    with_one = count()
    for n in range(30):
        organization = OrganizationFactory(acronym=f"ORG{n}")
        organization.mandate_areas.add(area)
        organization.regions.add(africa)
        program(organization, areas=[area], regions=[africa])
    with_thirty = count()

    # Session, user; regions, thematic areas, programs (one grouped query), then the
    # mandates layer (regions served, organizations, mandate areas); an IRO member adds the policy's membership;
    # the navbar counts the unread notifications.
    assert with_one == with_thirty == {"committee": 9, "member": 10}[persona]
