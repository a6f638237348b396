"""The public organizations directory, organization profiles and events pages."""

import pytest
from django.urls import reverse

from iros.models import Organization
from tests.factories import (
    PERSONAS,
    EventFactory,
    OrganizationFactory,
    RegionalCoordinatorFactory,
    RegionFactory,
    ThematicAreaFactory,
    persona_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    africa = RegionFactory(code="002", name="Africa")
    western_africa = RegionFactory(code="011", name="Western Africa", parent=africa)
    europe = RegionFactory(code="150", name="Europe")
    chemical = ThematicAreaFactory(code="chemical", name="Chemical weapons")
    nuclear = ThematicAreaFactory(code="nuclear", name="Nuclear weapons")
    au = OrganizationFactory(acronym="AU", name="African Union", kind=Organization.Kind.REGIONAL, seat="Addis Ababa")
    au.regions.add(africa)
    au.mandate_areas.add(chemical)
    ecowas = OrganizationFactory(acronym="ECOWAS", name="Economic Community", kind=Organization.Kind.SUBREGIONAL)
    ecowas.regions.add(western_africa)
    opcw = OrganizationFactory(acronym="OPCW", name="Chemical Weapons Org", kind=Organization.Kind.INTERNATIONAL)
    opcw.mandate_areas.add(chemical)
    osce = OrganizationFactory(acronym="OSCE", name="Security and Co-operation", kind=Organization.Kind.REGIONAL)
    osce.regions.add(europe)
    osce.mandate_areas.add(nuclear)
    RegionalCoordinatorFactory(host=osce, area="OSCE region")
    return {"AU": au, "ECOWAS": ecowas, "OPCW": opcw, "OSCE": osce}


def acronyms_on(response) -> list[str]:
    return [organization.acronym for organization in response.context["organizations"]]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_public_page_renders_for_every_persona(sign_in, directory, persona):
    client = sign_in(persona_user(persona))
    event = EventFactory(title="Vienna meeting")
    event.participants.add(directory["AU"])

    for url, expected in [
        (reverse("iros:list"), "African Union"),
        (reverse("iros:detail", args=["AU"]), "Addis Ababa"),
        (reverse("iros:events"), "Vienna meeting"),
        (reverse("iros:event_detail", args=[event.pk]), "African Union"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "regional"}, ["AU", "OSCE"]),
        ({"kind": "international"}, ["OPCW"]),
        ({"thematic": "chemical"}, ["AU", "OPCW"]),
        # A region covers the organizations serving its sub-regions.
        ({"region": "002"}, ["AU", "ECOWAS"]),
        ({"region": "011"}, ["ECOWAS"]),
        ({"region": "002", "thematic": "chemical"}, ["AU"]),
        ({"q": "union"}, ["AU"]),
        ({"coordinator": "true"}, ["OSCE"]),
        ({"coordinator": "false"}, ["AU", "ECOWAS", "OPCW"]),
        ({"ordering": "-acronym"}, ["OSCE", "OPCW", "ECOWAS", "AU"]),
        ({"ordering": "name"}, ["AU", "OPCW", "ECOWAS", "OSCE"]),
    ],
)
def test_directory_filters_and_sorts(client, directory, query, expected):
    response = client.get(reverse("iros:list"), query)

    assert response.status_code == 200
    assert acronyms_on(response) == expected


def test_an_unknown_filter_value_is_ignored_not_an_error(client, directory):
    response = client.get(reverse("iros:list"), {"region": "999", "kind": "nonsense"})

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_empty_result_explains_and_offers_to_clear_the_filters(client, directory):
    response = client.get(reverse("iros:list"), {"q": "no such organization"})

    body = response.content.decode()
    assert "No organization matches these filters" in body
    assert "Clear all filters" in body


def test_directory_is_paginated(client):
    OrganizationFactory.create_batch(30)

    first = client.get(reverse("iros:list"))
    second = client.get(reverse("iros:list"), {"page": 2})

    assert len(first.context["organizations"]) == 25
    assert len(second.context["organizations"]) == 5
    assert 'rel="next"' in first.content.decode()


def _organizations_with_relations(count: int) -> None:
    region = RegionFactory(code="150", name="Europe")
    area = ThematicAreaFactory(code="nuclear")
    for organization in OrganizationFactory.create_batch(count):
        organization.regions.add(region)
        organization.mandate_areas.add(area)


# The checked baseline: count, page, regions, mandate areas, and the two filter choice lists; a signed-in member
# adds the session, the user and the policy's membership lookup (which the user menu reuses).
@pytest.mark.parametrize("count", [1, 30])
# Signed in, the navbar counts the unread notifications (one query).
@pytest.mark.parametrize(("persona", "queries"), [("anonymous", 6), ("member", 10), ("committee", 9)])
def test_directory_query_count_does_not_grow_with_rows(sign_in, django_assert_num_queries, count, persona, queries):
    _organizations_with_relations(count)
    client = sign_in(persona_user(persona))

    with django_assert_num_queries(queries):
        response = client.get(reverse("iros:list"))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_events_query_count_does_not_grow_with_rows(client, django_assert_num_queries, count):
    region = RegionFactory(code="150", name="Europe")
    organization = OrganizationFactory()
    for event in EventFactory.create_batch(count, region=region):
        event.participants.add(organization)

    # count, page, and the two filter choice lists (regions, organizations).
    with django_assert_num_queries(4):
        response = client.get(reverse("iros:events"))

    assert response.status_code == 200


def test_unknown_acronym_is_404(client):
    response = client.get(reverse("iros:detail", args=["NOPE"]))

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_unknown_event_is_404(client):
    assert client.get(reverse("iros:event_detail", args=[123456])).status_code == 404


def test_profile_shows_public_reference_data(client):
    # given
    europe = RegionFactory(code="150", name="Europe")
    nuclear = ThematicAreaFactory(code="nuclear", name="Nuclear weapons")
    osce = OrganizationFactory(
        acronym="OSCE",
        name="Organization for Security and Co-operation in Europe",
        seat="Vienna",
        website="https://www.osce.org/",
        member_states=["AT", "FR"],
    )
    osce.regions.add(europe)
    osce.mandate_areas.add(nuclear)
    RegionalCoordinatorFactory(host=osce, area="OSCE region", person="")
    event = EventFactory(title="Workshop on resolution 1540")
    event.participants.add(osce)

    # when
    body = client.get(reverse("iros:detail", args=["OSCE"])).content.decode()

    # then
    for text in ["Vienna", "https://www.osce.org/", "Europe", "Nuclear weapons", "Austria", "France"]:
        assert text in body
    assert "OSCE region" in body
    assert "Person not named" in body
    assert "Workshop on resolution 1540" in body
    assert "<title>OSCE — Organization for Security and Co-operation in Europe · 1540 IRO Portal</title>" in body


def test_profile_without_member_states_says_so(client):
    OrganizationFactory(acronym="GICNT")

    body = client.get(reverse("iros:detail", args=["GICNT"])).content.decode()

    assert "Member states have not been recorded from a source yet." in body


def test_event_detail_shows_participants_and_attendance(client):
    au, eu = OrganizationFactory(acronym="AU"), OrganizationFactory(acronym="EU")
    event = EventFactory(title="Meeting for IROs", place="Vienna", attendance_count=17)
    event.participants.add(au, eu)

    body = client.get(reverse("iros:event_detail", args=[event.pk])).content.decode()

    assert "17 attending" in body
    assert "2 of the 17 organizations attending are named in the record." in body
    assert reverse("iros:detail", args=["AU"]) in body


def test_event_without_named_participants_gives_the_attendance(client):
    event = EventFactory(attendance_count=30)

    body = client.get(reverse("iros:event_detail", args=[event.pk])).content.decode()

    assert "30 organizations attended; the participants were not named in the record." in body


def test_events_filter_by_participating_organization_and_year(client):
    au = OrganizationFactory(acronym="AU")
    vienna = EventFactory(title="Vienna", start_date="2010-12-15")
    vienna.participants.add(au)
    EventFactory(title="Elsewhere", start_date="2011-01-27")

    by_organization = client.get(reverse("iros:events"), {"organization": "AU"})
    by_year = client.get(reverse("iros:events"), {"year": "2011"})

    assert [event.title for event in by_organization.context["events"]] == ["Vienna"]
    assert [event.title for event in by_year.context["events"]] == ["Elsewhere"]


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0", "-5", "99999999999", "1.5", "abc"])
def test_a_year_outside_the_calendar_is_a_form_error_not_a_server_error(client, year):
    response = client.get(reverse("iros:events"), {"year": year})
    assert response.status_code == 200
