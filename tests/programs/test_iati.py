"""The IATI export: public programs only, valid against the official IATI Activity Standard 2.03 schema."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from lxml import etree

from confidentiality.models import Audience, State
from iros.models import Region, ThematicArea
from programs.models import ProgramPartner
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).parent / "iati_schema" / "iati-activities-schema.xsd"
ALL_URL = "/iati/activities.xml"  # the paths CONTRACT.md promises


@pytest.fixture(scope="module")
def iati_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _full_program(make_program, orgs, **fields):
    program = make_program(
        audience=Audience.PUBLIC,
        title="Container Control Programme",
        summary="Joint UNODC–WCO programme for port control units.",
        status="ongoing",
        start_date=date(2020, 1, 1),
        end_date=date(2026, 12, 31),
        budget=Decimal("1250000.00"),
        currency="EUR",
        website="https://example.org/ccp",
        beneficiary_countries=["PK", "KZ"],
        funding_states=["NO"],
        **fields,
    )
    area, _ = ThematicArea.objects.get_or_create(code="op3c", defaults={"family": "resolution", "name": "Borders"})
    program.thematic_areas.set([area])
    program.regions.set([Region.objects.get_or_create(code="143", defaults={"name": "Central Asia"})[0]])
    ProgramPartner.objects.create(program=program, organization=orgs["selected"], role=ProgramPartner.Role.FUNDER)
    return program


def test_public_programs_make_a_valid_iati_file(client, make_program, orgs, iati_schema):
    # given a public program with every field the export maps
    program = _full_program(make_program, orgs)

    # when anyone asks for the file
    response = client.get(ALL_URL)

    # then it is valid IATI 2.03 and says what the program says
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    iati_schema.assertValid(document)
    activity = document.find("iati-activity")
    assert activity.findtext("iati-identifier").endswith(f"-{orgs['owner'].acronym}-{program.pk}")
    assert activity.find("title/narrative").text == "Container Control Programme"
    assert activity.find("activity-status").get("code") == "2"
    assert [(d.get("type"), d.get("iso-date")) for d in activity.findall("activity-date")] == [
        ("2", "2020-01-01"),
        ("3", "2026-12-31"),
    ]
    assert sorted(c.get("code") for c in activity.findall("recipient-country")) == ["KZ", "PK"]
    assert activity.find("recipient-region").get("code") == "143"
    shares = [
        Decimal(e.get("percentage"))
        for e in activity.findall("recipient-country") + activity.findall("recipient-region")
    ]
    assert sum(shares) == 100
    assert activity.find("sector").get("code") == "op3c"
    assert activity.find("budget/value").text == "1250000.00"
    assert activity.find("budget/value").get("currency") == "EUR"
    roles = {(p.findtext("narrative"), p.get("role")) for p in activity.findall("participating-org")}
    assert (orgs["owner"].name, "2") in roles and (orgs["selected"].name, "1") in roles and ("Norway", "1") in roles


@pytest.mark.parametrize(
    ("state", "audience"),
    [
        (State.DRAFT, Audience.PUBLIC),
        (State.SUBMITTED, Audience.COMMITTEE),
        (State.SUBMITTED, Audience.SELECTED),
        (State.SUBMITTED, Audience.ALL_IROS),
    ],
)
def test_nothing_that_is_not_public_is_ever_exported(client, make_program, orgs, state, audience):
    make_program(state=state, audience=audience, title="CANARY-not-public", start_date=date(2021, 1, 1))

    for url in (ALL_URL, reverse("iati:organization", args=[orgs["owner"].acronym])):
        response = client.get(url)

        assert response.status_code == 200
        assert b"CANARY" not in response.content
        assert etree.fromstring(response.content).findall("iati-activity") == []


def test_a_signed_in_viewer_gets_the_public_file_too(client, make_program, orgs, people):
    make_program(audience=Audience.ALL_IROS, title="CANARY-all-iros", start_date=date(2021, 1, 1))
    client.force_login(people["admin"])

    assert b"CANARY" not in client.get(ALL_URL).content


def test_one_organization_file_holds_only_its_programs(client, make_program, orgs, iati_schema):
    make_program(audience=Audience.PUBLIC, title="Owner's", start_date=date(2021, 1, 1))
    make_program(audience=Audience.PUBLIC, title="Other's", start_date=date(2021, 1, 1), owner=orgs["other"])

    body = client.get(reverse("iati:organization", args=[orgs["owner"].acronym])).content

    titles = [e.text for e in ElementTree.fromstring(body).iter("narrative")]
    assert "Owner's" in titles and "Other's" not in titles
    iati_schema.assertValid(etree.fromstring(body))


def test_an_unknown_organization_is_404(client):
    assert client.get(reverse("iati:organization", args=["NOPE"])).status_code == 404


def test_a_program_without_a_start_date_is_left_out_and_counted(client, make_program, iati_schema):
    make_program(audience=Audience.PUBLIC, title="No dates yet")
    make_program(audience=Audience.PUBLIC, title="Dated", start_date=date(2022, 5, 1))

    body = client.get(ALL_URL).content

    assert b"No dates yet" not in body and b"Dated" in body
    assert b"1 public program(s) without a start date are not listed" in body
    iati_schema.assertValid(etree.fromstring(body))


def test_without_public_programs_the_file_is_empty_not_an_error(client):
    # The schema wants at least one activity; registries skip a file with none, so an empty one is honest.
    document = etree.fromstring(client.get(ALL_URL).content)

    assert document.tag == "iati-activities" and document.get("version") == "2.03"
    assert document.findall("iati-activity") == []


def test_the_file_is_valid_with_the_least_a_program_may_hold(client, make_program, iati_schema):
    make_program(audience=Audience.PUBLIC, title="Bare", status="planned", start_date=date(2027, 3, 1))

    document = etree.fromstring(client.get(ALL_URL).content)

    iati_schema.assertValid(document)
    assert document.find("iati-activity/activity-date").get("type") == "1"  # planned start


def test_query_count_does_not_grow_with_programs(client, make_program, orgs, django_assert_max_num_queries):
    for _ in range(5):
        _full_program(make_program, orgs)

    with django_assert_max_num_queries(6):
        client.get(ALL_URL)


def test_an_organization_elsewhere_is_not_confused(client):
    OrganizationFactory(acronym="AU")

    assert client.get(reverse("iati:organization", args=["AU"])).status_code == 200
