"""The public regional coordinators page."""

import datetime

import pytest
from django.urls import reverse

from contacts.models import RegionalCoordinator
from iros.models import DatePrecision
from tests.factories import PERSONAS, OrganizationFactory, RegionalCoordinatorFactory, RegionFactory, persona_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinators():
    caribbean = RegionFactory(code="029", name="Caribbean")
    return {
        "appointed": RegionalCoordinatorFactory(
            host=OrganizationFactory(acronym="CARICOM", name="Caribbean Community"),
            area="Caribbean",
            status=RegionalCoordinator.Status.APPOINTED,
            since=datetime.date(2009, 11, 1),
            since_precision=DatePrecision.MONTH,
            person="",
        ),
        "proposed": RegionalCoordinatorFactory(
            host=OrganizationFactory(acronym="PIF"), area="Pacific", status=RegionalCoordinator.Status.PROPOSED
        ),
        "discussed": RegionalCoordinatorFactory(
            host=OrganizationFactory(acronym="CIS"), area="CIS region", status=RegionalCoordinator.Status.DISCUSSED
        ),
        "ended": RegionalCoordinatorFactory(
            host=OrganizationFactory(acronym="SICA"),
            area="Central America",
            status=RegionalCoordinator.Status.ENDED,
            person="A. Person",
        ),
        "caribbean": caribbean,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_coordinators_page_renders_for_every_persona(client, coordinators, persona):
    user = persona_user(persona)
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("contacts:coordinators"))

    assert response.status_code == 200
    assert "Regional coordinators · 1540 IRO Portal" in response.content.decode()


def test_coordinators_are_grouped_by_status_in_order(client, coordinators):
    coordinators["appointed"].regions.add(coordinators["caribbean"])

    response = client.get(reverse("contacts:coordinators"))

    groups = response.context["groups"]
    assert [status for status, _, _ in groups] == ["appointed", "proposed", "discussed", "ended"]
    assert [[c.area for c in members] for _, _, members in groups] == [
        ["Caribbean"],
        ["Pacific"],
        ["CIS region"],
        ["Central America"],
    ]
    body = response.content.decode()
    assert "November 2009" in body
    assert "not named" in body
    assert "A. Person" in body
    assert reverse("iros:detail", args=["CARICOM"]) in body


def test_no_coordinator_yet_is_a_friendly_empty_page(client):
    body = client.get(reverse("contacts:coordinators")).content.decode()

    assert "No regional coordinator has been recorded yet" in body


@pytest.mark.parametrize("count", [1, 30])
def test_coordinators_query_count_does_not_grow_with_rows(client, django_assert_num_queries, count):
    region = RegionFactory(code="029", name="Caribbean")
    for coordinator in RegionalCoordinatorFactory.create_batch(count):
        coordinator.regions.add(region)

    # coordinators with their hosts, and their regions.
    with django_assert_num_queries(2):
        response = client.get(reverse("contacts:coordinators"))

    assert response.status_code == 200
