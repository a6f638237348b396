"""The cooperation map: thematic area × region counts of visible programs, gaps, possible duplication, mandates."""

import itertools
import random
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from iros.models import ThematicArea
from iros.reference_data import REGION_COUNTRIES
from portal.pages.cooperation.selectors import cooperation_matrix
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
        # AU and ECOWAS both work on nuclear security in Africa, in overlapping years, but name no common country
        # nor sub-region (the AU's program is recorded for the whole continent): no duplication.
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
@pytest.mark.parametrize("level", ["continent", "subregion", "country"])
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


@pytest.mark.parametrize("persona", ["member", "focal_point", "committee", "admin"])
def test_programs_mapped_counts_each_visible_program_with_an_area_and_a_region_once(atlas, persona):
    user = persona_user(persona, atlas["AU"])
    areas, regions = atlas["areas"], atlas["regions"]
    # given a program in two areas and two regions, and programs missing one or the other
    program(atlas["AU"], areas=[areas["nuclear"], areas["op3c"]], regions=[regions["africa"], regions["europe"]])
    program(atlas["AU"], areas=[areas["nuclear"]], regions=[])
    program(atlas["AU"], areas=[], regions=[regions["europe"]])
    oracle = (
        program_list_for(actor=user)
        .filter(pk__in=Program.thematic_areas.through.objects.values("program_id"))
        .filter(pk__in=Program.regions.through.objects.values("program_id"))
        .count()
    )

    # when / then: whatever the level or the family shown
    for level, family in [("continent", None), ("country", ThematicArea.Family.RESOLUTION)]:
        assert cooperation_matrix(actor=user, level=level, family=family).programs_mapped == oracle


def test_programs_mapped_is_zero_when_nothing_visible_is_mapped(atlas):
    assert cooperation_matrix(actor=UserFactory(organization=OrganizationFactory())).programs_mapped == 4
    Program.objects.all().delete()

    assert cooperation_matrix(actor=persona_user("committee")).programs_mapped == 0


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


def test_counts_owners_gaps_and_broader_programs(atlas):
    committee = persona_user("committee")

    matrix = cooperation_matrix(actor=committee)

    nuclear_africa = cell_of(matrix, "nuclear", "002")
    assert (nuclear_africa.programs, nuclear_africa.owner_list) == (2, ["AU", "ECOWAS"])
    assert cell_of(matrix, "nuclear", "150").status == "covered"
    # Border controls in Africa: nothing there, but the IAEA's global program may cover it.
    border_africa = cell_of(matrix, "op3c", "002")
    assert (border_africa.programs, border_africa.broader, border_africa.status) == (0, 1, "broad")
    assert cell_of(matrix, "chemical", "150").status == "gap"
    # The "All regions" column counts every program of the theme.
    assert cell_of(matrix, "nuclear", "001").programs == 3


# --- possible duplication: overlapping periods and a shared beneficiary country or sub-region ----------------


def nuclear_in_africa(matrix):
    return cell_of(matrix, "nuclear", "002")


def test_the_same_continent_and_overlapping_years_alone_are_no_duplication(atlas):
    matrix = cooperation_matrix(actor=persona_user("committee"))

    assert nuclear_in_africa(matrix).status == "covered"
    assert matrix.duplications == []


def test_overlap_and_a_shared_country_is_possible_duplication(atlas):
    atlas["au_nuclear"].beneficiary_countries = ["GH", "NG"]
    atlas["au_nuclear"].save()
    atlas["ecowas_nuclear"].beneficiary_countries = ["GH", "SN"]
    atlas["ecowas_nuclear"].save()

    continents = cooperation_matrix(actor=persona_user("committee"))
    subregions = cooperation_matrix(actor=persona_user("committee"), level="subregion")

    cell = nuclear_in_africa(continents)
    assert cell.status == "duplication"
    assert (cell.duplication.countries, cell.duplication.regions) == (["GH"], [])
    assert (cell.duplication.owner_list, cell.duplication.strength) == (["AU", "ECOWAS"], 1)
    # Ghana lies in Western Africa, inside Sub-Saharan Africa: the shared country counts in that column.
    assert cell_of(subregions, "nuclear", "202").duplication.countries == ["GH"]
    assert cell_of(subregions, "nuclear", "015").duplication is None
    assert [(cell.area.code, cell.column.region.code) for cell in continents.duplications] == [("nuclear", "002")]


def test_overlap_and_a_shared_sub_region_is_possible_duplication(atlas):
    # The AU narrows its program to Sub-Saharan Africa, which holds ECOWAS's Western Africa.
    atlas["au_nuclear"].regions.set([atlas["regions"]["western_africa"].parent])

    cell = nuclear_in_africa(cooperation_matrix(actor=persona_user("committee")))

    assert cell.status == "duplication"
    assert (cell.duplication.countries, [region.code for region in cell.duplication.regions]) == ([], ["011"])


def test_a_shared_country_without_overlapping_periods_is_no_duplication(atlas):
    for record in (atlas["au_nuclear"], atlas["ecowas_nuclear"]):
        record.beneficiary_countries = ["GH"]
        record.save()
    atlas["ecowas_nuclear"].start_date = date(2013, 1, 1)
    atlas["ecowas_nuclear"].save()

    assert nuclear_in_africa(cooperation_matrix(actor=persona_user("committee"))).status == "covered"


def test_cancelled_programs_are_no_duplication(atlas):
    for record in (atlas["au_nuclear"], atlas["ecowas_nuclear"]):
        record.beneficiary_countries = ["GH"]
        record.save()
    atlas["ecowas_nuclear"].status = Program.Status.CANCELLED
    atlas["ecowas_nuclear"].save()

    assert nuclear_in_africa(cooperation_matrix(actor=persona_user("committee"))).duplication is None


def test_a_program_hidden_from_the_viewer_signals_no_duplication(atlas):
    chemical, africa = atlas["areas"]["chemical"], atlas["regions"]["africa"]
    program(atlas["AU"], areas=[chemical], regions=[africa], beneficiary_countries=["EG"])
    atlas["ecowas_hidden"].beneficiary_countries = ["EG"]  # shared with the Committee only
    atlas["ecowas_hidden"].save()
    member = UserFactory(organization=atlas["OSCE"])

    assert cell_of(cooperation_matrix(actor=persona_user("committee")), "chemical", "002").status == "duplication"
    seen_by_member = cell_of(cooperation_matrix(actor=member), "chemical", "002")
    assert seen_by_member.duplication is None and seen_by_member.owner_list == ["AU"]


def test_the_overlap_check_agrees_with_every_pair_compared(atlas):
    """Random programs sharing Ghana, one thematic area per trial: whether two IROs overlap, and which."""
    rng = random.Random(1540)
    owners = [atlas["AU"], atlas["ECOWAS"], atlas["OSCE"]]
    trials = {}
    for trial in range(30):
        area = ThematicAreaFactory(code=f"trial-{trial}", family=ThematicArea.Family.ASSISTANCE)
        spans = []
        for _ in range(rng.randint(0, 5)):
            start = date(2000, 1, rng.randint(1, 25)) if rng.random() < 0.9 else None
            last = min(31, (start or date(2000, 1, 1)).day + rng.randint(0, 6))
            end = date(2000, 1, last) if rng.random() < 0.8 else None
            owner = rng.choice(owners)
            program(owner, areas=[area], regions=[], beneficiary_countries=["GH"], start_date=start, end_date=end)
            spans.append((start or date.min, end or date.max, owner.acronym))
        pairs = [(a, b) for a, b in itertools.combinations(spans, 2) if a[2] != b[2] and a[0] <= b[1] and b[0] <= a[1]]
        trials[area.code] = spans, pairs

    matrix = cooperation_matrix(actor=persona_user("committee"), family=ThematicArea.Family.ASSISTANCE)

    for code, (spans, pairs) in trials.items():
        cell = cell_of(matrix, code, "002")
        assert (cell.duplication is not None) == bool(pairs), (code, spans)
        if pairs:
            # Every IRO of an overlapping pair is named (and so is any IRO whose program overlaps theirs).
            assert {acronym for pair in pairs for _start, _end, acronym in pair} <= cell.duplication.owner_acronyms


# --- gaps, at the chosen level ---------------------------------------------------------------------------------


def test_a_gap_lists_the_countries_of_its_region(atlas):
    member = UserFactory(organization=atlas["OSCE"])
    committee = persona_user("committee")

    for_member = cell_of(cooperation_matrix(actor=member, level="subregion"), "chemical", "015")
    for_committee = cell_of(cooperation_matrix(actor=committee, level="subregion"), "chemical", "015")

    # ECOWAS's chemical program in Northern Africa is for the Committee only: for the member, a gap.
    assert for_member.status == "gap"
    assert for_member.gap_countries == sorted(REGION_COUNTRIES["015"])
    assert (for_committee.status, for_committee.gap_countries) == ("covered", [])


def test_a_program_naming_a_country_closes_its_regions_gap(atlas):
    RegionFactory(code="155", name="Western Europe", parent=atlas["regions"]["europe"])
    program(atlas["AU"], areas=[atlas["areas"]["chemical"]], regions=[], beneficiary_countries=["FR"])

    cell = cell_of(cooperation_matrix(actor=persona_user("committee")), "chemical", "150")

    # No program is tagged with Europe, but one is for France.
    assert (cell.programs, cell.status, cell.gap_countries) == (0, "covered", [])


def test_country_level_lists_the_countries_no_program_reaches(atlas):
    op3c, africa = atlas["areas"]["op3c"], atlas["regions"]["africa"]
    program(atlas["AU"], areas=[op3c], regions=[africa], beneficiary_countries=["SN"])

    matrix = cooperation_matrix(actor=persona_user("committee"), level="country")

    # Border controls in Sub-Saharan Africa (whose only M49 region here is Western Africa): the IAEA's global
    # program reaches no country in particular, the AU's names Senegal.
    assert cell_of(matrix, "op3c", "202").gap_countries == sorted(set(REGION_COUNTRIES["011"]) - {"SN"})
    # Nuclear: ECOWAS's program is tagged with Western Africa, which reaches all of its countries.
    assert cell_of(matrix, "nuclear", "202").gap_countries == []
    assert matrix.gaps == sum(len(cell.gap_countries) for cell in matrix.gap_cells)
    assert [column.region.code for column in matrix.columns] == ["015", "202", "001"]


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

    # Session, user; regions, thematic areas, organizations; the map's two grouped queries (cells, with the programs
    # mapped as their grand total; shared countries and sub-regions) with their memory setting, in a transaction (a
    # savepoint and its release inside the test's own transaction); the mandates layer (regions served, mandate
    # areas). An IRO member adds the policy's membership; the navbar counts the unread notifications.
    assert with_one == with_thirty == {"committee": 13, "member": 14}[persona]
