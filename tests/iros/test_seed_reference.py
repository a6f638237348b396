from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from confidentiality.groups import organization_group_name
from confidentiality.models import Audience, State
from confidentiality.services import grants_mismatches
from contacts.models import RegionalCoordinator
from iros import reference_data
from iros.models import Agreement, DatePrecision, Event, Interaction, Organization, Region, ThematicArea
from programs.models import Program

ACRONYMS_AND_KINDS = {
    "ASEAN": "regional", "AU": "regional", "BWC-ISU": "un_entity", "CARICOM": "subregional", "CICA": "regional",
    "CIS": "regional", "CSTO": "regional", "CTED": "un_entity", "CTITF": "un_entity", "EU": "regional",
    "FAO": "international", "FATF": "international", "GP": "arrangement", "GICNT": "arrangement",
    "HCOC": "arrangement", "IAEA": "international", "ICAO": "international", "INTERPOL": "international",
    "LAS": "regional", "MTCR": "arrangement", "NATO": "regional", "OAS": "regional", "OIE": "international",
    "OPCW": "international", "OSCE": "regional", "PIF": "subregional", "SCO": "regional", "SICA": "subregional",
    "UNDP": "un_entity", "UNDPA": "un_entity", "UNDPI": "un_entity", "UNHCR": "un_entity", "UNICRI": "un_entity",
    "UNODA": "un_entity", "UNODC": "un_entity", "UNRCCA": "un_entity", "UNRCPD": "un_entity", "UNREC": "un_entity",
    "UNLIREC": "un_entity", "WA": "arrangement", "WCO": "international", "WHO": "international", "ZC": "arrangement",
}  # fmt: skip


def seed() -> str:
    out = StringIO()
    call_command("seed_reference", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def seeded(db):
    seed()


def test_all_43_organizations_with_their_kinds(seeded):
    assert len(ACRONYMS_AND_KINDS) == 43
    assert dict(Organization.objects.values_list("acronym", "kind")) == ACRONYMS_AND_KINDS


def test_every_organization_has_its_group_and_regions(seeded):
    for organization in Organization.objects.select_related("group").prefetch_related("regions"):
        assert organization.group.name == organization_group_name(organization.acronym)
        assert organization.regions.exists(), organization.acronym


@pytest.mark.parametrize(
    ("acronym", "regions", "seat"),
    [
        ("IAEA", {"001"}, "Vienna"),
        ("OSCE", {"150", "143", "021"}, "Vienna"),
        ("NATO", {"150", "021"}, "Brussels"),
        ("LAS", {"145", "015"}, "Cairo"),
        ("UNRCPD", {"142", "009"}, "Kathmandu"),
        ("CIS", {"151", "143"}, "Minsk"),
        ("GP", {"001"}, ""),
        ("GICNT", {"001"}, ""),
    ],
)
def test_scope_and_seat(seeded, acronym, regions, seat):
    organization = Organization.objects.get(acronym=acronym)
    assert set(organization.regions.values_list("code", flat=True)) == regions
    assert organization.seat == seat


def test_thematic_areas_in_three_families(seeded):
    assert ThematicArea.objects.count() == 17
    families = {family: [] for family in ThematicArea.Family.values}
    for area in ThematicArea.objects.order_by("family", "position"):
        families[area.family].append(area.code)
    assert families["weapon"] == ["nuclear", "chemical", "biological", "delivery"]
    assert families["resolution"] == ["op1", "op2", "op3a", "op3b", "op3c", "op3d", "financing"]
    assert families["assistance"] == ["legislative", "training", "equipment", "expertise", "awareness", "action-plan"]


def test_thirty_m49_regions_with_parents(seeded):
    assert Region.objects.count() == 30
    parents = dict(Region.objects.values_list("code", "parent__code"))
    assert parents["001"] is None
    assert parents["202"] == "002"
    assert parents["014"] == "202"
    assert parents["029"] == "419"
    assert parents["143"] == "142"
    assert parents["061"] == "009"
    assert all(parent is not None for code, parent in parents.items() if code != "001")


def test_regional_coordinators_with_status_and_month_precision(seeded):
    coordinators = {c.host.acronym: c for c in RegionalCoordinator.objects.select_related("host")}
    assert set(coordinators) == {"CARICOM", "SICA", "OSCE", "ASEAN", "CIS"}
    expected_since = {"CARICOM": date(2009, 11, 1), "SICA": date(2011, 6, 1), "OSCE": date(2010, 9, 1)}
    for acronym, since in expected_since.items():
        coordinator = coordinators[acronym]
        assert coordinator.status == RegionalCoordinator.Status.APPOINTED
        assert coordinator.since == since
        assert coordinator.since_precision == DatePrecision.MONTH
    assert coordinators["CARICOM"].since_display == "November 2009"
    assert coordinators["OSCE"].title == "1540 Adviser"
    for acronym in ("ASEAN", "CIS"):
        assert coordinators[acronym].status == RegionalCoordinator.Status.DISCUSSED
        assert coordinators[acronym].since is None
    assert "Hanoi" in coordinators["ASEAN"].notes
    assert "27–28 January 2011" in coordinators["CIS"].notes
    # No coordinator is named in the seed.
    assert all(coordinator.person == "" for coordinator in coordinators.values())


def test_vienna_meeting_counts_25_iros_and_names_none(seeded):
    event = Event.objects.get(start_date=date(2010, 12, 15))
    assert event.title == reference_data.VIENNA_MEETING_TITLE
    assert event.end_date == date(2010, 12, 16)
    assert event.attendance_count == 25
    assert not event.participants.exists()


def test_global_partnership_events(seeded):
    assert Event.objects.filter(start_date=date(2011, 10, 10), place="Paris").exists()
    deauville = Event.objects.get(place="Deauville")
    assert (deauville.start_date, deauville.end_date) == (date(2011, 5, 26), date(2011, 5, 28))


def test_unoda_osce_mou_has_two_parties(seeded):
    mou = Agreement.objects.get(title=reference_data.UNODA_OSCE_MOU_TITLE)
    assert mou.kind == Agreement.Kind.MOU
    assert set(mou.parties.values_list("acronym", flat=True)) == {"UNODA", "OSCE"}
    assert not mou.committee_is_party
    assert (mou.signed_on, mou.signed_on_precision) == (date(2011, 9, 1), DatePrecision.MONTH)
    interaction = Interaction.objects.get(agreement=mou)
    assert interaction.kind == Interaction.Kind.MOU
    assert interaction.public
    assert set(interaction.organizations.values_list("acronym", flat=True)) == {"UNODA", "OSCE"}


def test_programs_the_seed_names_are_public_with_partners_and_grants(seeded):
    programs = {p.organization.acronym: p for p in Program.objects.select_related("organization")}
    assert set(programs) == {"UNODC", "UNRCCA", "UNICRI"}
    for program in programs.values():
        assert (program.state, program.audience) == (State.SUBMITTED, Audience.PUBLIC)
        assert program.grants.exists()

    def partners(program):
        return set(program.partnerships.values_list("organization__acronym", "role"))

    assert partners(programs["UNODC"]) == {("UNODC", "lead"), ("WCO", "partner")}
    assert partners(programs["UNRCCA"]) == {("UNRCCA", "lead"), ("CTITF", "partner"), ("EU", "funder")}
    assert programs["UNRCCA"].funding_states == ["NO"]
    assert partners(programs["UNICRI"]) == {("UNICRI", "implementer"), ("EU", "funder")}
    assert grants_mismatches(Program) == []


def test_running_twice_changes_no_count(seeded):
    # given
    before = row_counts()
    # when
    output = seed()
    # then
    assert row_counts() == before
    assert "43 organizations" in output


def test_re_seeding_keeps_an_audience_changed_since(seeded):
    program = Program.objects.get(organization__acronym="UNODC")
    Program.objects.filter(pk=program.pk).update(audience=Audience.ALL_IROS)
    seed()
    program.refresh_from_db()
    assert program.audience == Audience.ALL_IROS


def test_reference_data_is_self_consistent():
    region_codes = {code for code, _name, _parent in reference_data.REGIONS}
    assert all(set(codes) <= region_codes for codes in reference_data.SCOPES.values())
    assert {row[3] for row in reference_data.ORGANIZATIONS} <= set(reference_data.SCOPES)
    assert len({row[0] for row in reference_data.ORGANIZATIONS}) == 43
