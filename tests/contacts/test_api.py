"""The points-of-contact and coordinators API: the leak matrix, writes, validation and query counts."""

import datetime
import uuid

import pytest
from django.urls import reverse

from confidentiality.models import Audience, SharingAudit, State
from confidentiality.services import grants_write
from contacts.models import PointOfContact
from tests.factories import (
    OrganizationFactory,
    PointOfContactFactory,
    RegionalCoordinatorFactory,
    RegionFactory,
    api_client_for,
)
from tests.world import client_for

AUDIENCES = ("draft", "committee", "selected", "all_iros", "public")
SEES = {
    "anonymous": {"public"},
    "inactive": {"public"},
    "owner_focal": set(AUDIENCES),
    "owner_member": set(AUDIENCES),
    "selected_member": {"selected", "all_iros", "public"},
    "other_member": {"all_iros", "public"},
    "committee": {"committee", "selected", "all_iros", "public"},
    "admin": set(AUDIENCES),
}
PERSONAS = tuple(SEES)
SEES_SHARING = {"owner_focal", "owner_member", "committee", "admin"}
WRITES = {"owner_focal", "admin"}
LIST_URL = reverse("api:contacts-list")


def make_contact(orgs, case: str, **kwargs) -> PointOfContact:
    state = State.DRAFT if case == "draft" else State.SUBMITTED
    audience = Audience.COMMITTEE if case == "draft" else case
    # Past designations (with an end date) so several submitted ones may coexist for one role.
    kwargs.setdefault("since", datetime.date(2010, 1, 1))
    kwargs.setdefault("until", datetime.date(2011, 1, 1))
    contact = PointOfContactFactory(organization=orgs["owner"], state=state, audience=audience, **kwargs)
    if audience == Audience.SELECTED:
        contact.shared_with.set([orgs["selected"]])
    grants_write(contact)
    return contact


@pytest.fixture
def contacts(orgs):
    result = {}
    for case in AUDIENCES:
        canary = f"CANARY-{case}-{uuid.uuid4().hex[:10]}"
        result[case] = make_contact(orgs, case, person=canary, title=canary)
        result[case].canary = canary
    return result


@pytest.mark.parametrize("persona", PERSONAS)
def test_contact_read_matrix(persona, people, contacts):
    client = client_for(people, persona)
    response = client.get(LIST_URL, {"page_size": 200})
    assert response.status_code == 200
    expected = {contacts[case].pk for case in SEES[persona]}
    assert {row["id"] for row in response.json()["results"]} == expected
    assert response.json()["count"] == len(expected)
    bodies = [response.content.decode(), client.get(LIST_URL, {"search": "CANARY"}).content.decode()]
    for case, contact in contacts.items():
        detail = client.get(reverse("api:contacts-detail", args=[contact.pk]))
        bodies.append(detail.content.decode())
        if case in SEES[persona]:
            assert detail.status_code == 200
            shared = detail.json()["shared_with"]
            if persona in SEES_SHARING:
                assert shared == (["CHOSEN"] if case == "selected" else [])
            else:
                assert shared is None
        else:
            assert detail.status_code == 404
    joined = "\n".join(bodies)
    for case, contact in contacts.items():
        if case not in SEES[persona]:
            assert contact.canary not in joined


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "inactive"])
@pytest.mark.parametrize("case", AUDIENCES)
def test_contact_write_matrix(persona, case, people, contacts):
    client = client_for(people, persona)
    contact = contacts[case]
    url = reverse("api:contacts-detail", args=[contact.pk])
    before = PointOfContact.objects.values().get(pk=contact.pk)
    if case not in SEES[persona]:
        expected = 404
    elif persona == "anonymous":
        expected = 401
    elif persona not in WRITES:
        expected = 403
    else:
        expected = None
    patch = client.patch(url, {"phone": "+1 555"}, format="json")
    if expected is None:
        assert patch.status_code == 200
        assert PointOfContact.objects.get(pk=contact.pk).phone == "+1 555"
    else:
        assert patch.status_code == expected
        assert PointOfContact.objects.values().get(pk=contact.pk) == before
    delete = client.delete(url)
    assert delete.status_code == (204 if expected is None else expected)
    assert PointOfContact.objects.filter(pk=contact.pk).exists() == (expected is not None)


def test_focal_point_designates_and_shares(people, orgs):
    client = client_for(people, "owner_focal")
    response = client.post(
        LIST_URL,
        {
            "role": "assistance",
            "person": "Jane Doe",
            "email": "jane@example.org",
            "since": "2011-06-01",
            "state": "submitted",
            "audience": "selected",
            "shared_with": ["CHOSEN"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["organization"] == "OWNER"
    assert body["shared_with"] == ["CHOSEN"]
    assert SharingAudit.objects.filter(record_type="contacts.pointofcontact", record_id=body["id"]).exists()
    assert (
        client_for(people, "selected_member")
        .get(reverse("api:contacts-detail", args=[body["id"]]))
        .json()["shared_with"]
        is None
    )
    # a second standing designation for the same role is refused, field-keyed
    again = client.post(LIST_URL, {"role": "assistance", "person": "John", "state": "submitted"}, format="json")
    assert again.status_code == 400
    assert "role" in again.json()


def test_contact_create_permissions(people, orgs):
    payload = {"role": "implementation", "person": "X", "organization": "OWNER"}
    assert api_client_for().post(LIST_URL, payload, format="json").status_code == 401
    assert client_for(people, "other_focal").post(LIST_URL, payload, format="json").status_code == 403
    assert client_for(people, "owner_member").post(LIST_URL, payload, format="json").status_code == 403
    assert not PointOfContact.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"role": "boss", "person": "X"}, "role"),
        ({"role": "assistance"}, "person"),
        ({"role": "assistance", "person": "X", "email": "not-an-email"}, "email"),
        ({"role": "assistance", "person": "X", "since": "2011-01-02", "until": "2011-01-01"}, "until"),
        ({"role": "assistance", "person": "X", "organization": "NOPE"}, "organization"),
        ({"role": "assistance", "person": "X", "audience": "selected"}, "shared_with"),
        ({"role": "assistance", "person": "X", "audience": "public", "shared_with": ["CHOSEN"]}, "shared_with"),
        ({"role": "assistance", "person": "X", "audience": "selected", "shared_with": ["OWNER"]}, "shared_with"),
        ({"role": "assistance", "person": "X", "audience": "selected", "shared_with": ["NOPE"]}, "shared_with"),
        ({"role": "assistance", "person": "X" * 201}, "person"),
    ],
)
def test_invalid_contact_is_400_and_writes_nothing(payload, field, people, orgs):
    response = client_for(people, "owner_focal").post(LIST_URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not PointOfContact.objects.exists()
    assert not SharingAudit.objects.exists()


@pytest.mark.parametrize("count", [1, 200])
def test_contact_list_query_count_is_constant(count, people, orgs, django_assert_num_queries):
    for index in range(count):
        make_contact(orgs, "selected" if index % 2 else "public")
    client = client_for(people, "selected_member")
    with django_assert_num_queries(6):  # token, its first use recorded, membership, count, page, shared_with prefetch
        response = client.get(LIST_URL, {"page_size": 200})
    assert response.json()["count"] == count


# --- regional coordinators (public reference data) ----------------------------------------------------------


def test_coordinators_are_public_and_filterable(db):
    europe = RegionFactory(code="150", name="Europe")
    first = RegionalCoordinatorFactory(host=OrganizationFactory(acronym="OSCE"), area="OSCE region", person="A")
    first.regions.add(europe)
    RegionalCoordinatorFactory(host=OrganizationFactory(acronym="CARICOM"), area="Caribbean", status="proposed")
    client = api_client_for()
    body = client.get(reverse("api:coordinators-list")).json()
    assert body["count"] == 2
    assert {row["host"] for row in body["results"]} == {"OSCE", "CARICOM"}
    assert client.get(reverse("api:coordinators-list"), {"region": "150"}).json()["count"] == 1
    assert (
        client.get(reverse("api:coordinators-list"), {"host": "CARICOM"}).json()["results"][0]["status"] == "proposed"
    )
    assert client.get(reverse("api:coordinators-list"), {"host": "NOPE"}).status_code == 400
    assert client.get(reverse("api:coordinators-detail", args=[first.pk])).json()["regions"] == ["150"]
    # read-only
    assert client.post(reverse("api:coordinators-list"), {}, format="json").status_code in (401, 405)


@pytest.mark.parametrize("count", [1, 200])
def test_coordinator_list_query_count_is_constant(count, db, django_assert_num_queries):
    europe = RegionFactory(code="150", name="Europe")
    host = OrganizationFactory(acronym="OSCE")
    for index in range(count):
        RegionalCoordinatorFactory(host=host, area=f"Area {index}").regions.add(europe)
    with django_assert_num_queries(3):  # count, page, regions prefetch
        response = api_client_for().get(reverse("api:coordinators-list"), {"page_size": 200})
    assert response.json()["count"] == count
