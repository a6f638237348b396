"""The public designation-status API: one entry per organization, no contact details, drafts never counted."""

import datetime

import pytest
from django.urls import reverse

from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from contacts.models import ContactRole
from tests.factories import OrganizationFactory, PointOfContactFactory, RegionFactory, api_client_for

LIST_URL = reverse("api:designations-list")
PERSONAS = ("anonymous", "owner_focal", "owner_member", "other_member", "committee", "admin")
SECRETS = ("Secret Person", "secret@example.org", "+41 22 000 0000", "Secret title")


@pytest.fixture
def orgs(orgs):
    return {**orgs, "none": OrganizationFactory(acronym="ZNONE")}


def contact(organization, role, *, state=State.SUBMITTED, audience=Audience.COMMITTEE, since=None, until=None):
    record = PointOfContactFactory(
        organization=organization,
        role=role,
        state=state,
        audience=audience,
        since=since,
        until=until,
        person=SECRETS[0],
        email=SECRETS[1],
        phone=SECRETS[2],
        title=SECRETS[3],
    )
    grants_write(record)
    return record


@pytest.fixture
def designations(orgs):
    # OWNER: a standing assistance contact seen by the Committee only, and a draft for implementation.
    contact(orgs["owner"], ContactRole.ASSISTANCE, since=datetime.date(2011, 6, 1))
    contact(orgs["owner"], ContactRole.IMPLEMENTATION, state=State.DRAFT, since=datetime.date(2012, 1, 1))
    # OTHER: an ended implementation contact, and a standing one with no start date, public.
    contact(
        orgs["other"],
        ContactRole.IMPLEMENTATION,
        since=datetime.date(2009, 1, 1),
        until=datetime.date(2010, 1, 1),
    )
    contact(orgs["other"], ContactRole.IMPLEMENTATION, audience=Audience.PUBLIC)
    # ZNONE: only a draft. CHOSEN: no contact at all.
    contact(orgs["none"], ContactRole.ASSISTANCE, state=State.DRAFT, since=datetime.date(2013, 1, 1))


EXPECTED = [
    {
        "organization": "CHOSEN",
        "assistance": {"designated": False, "since": None},
        "implementation": {"designated": False, "since": None},
    },
    {
        "organization": "OTHER",
        "assistance": {"designated": False, "since": None},
        "implementation": {"designated": True, "since": None},
    },
    {
        "organization": "OWNER",
        "assistance": {"designated": True, "since": "2011-06-01"},
        "implementation": {"designated": False, "since": None},
    },
    {
        "organization": "ZNONE",
        "assistance": {"designated": False, "since": None},
        "implementation": {"designated": False, "since": None},
    },
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_sees_the_same_status_and_no_contact_details(persona, people, designations):
    response = api_client_for(people[persona]).get(LIST_URL)
    assert response.status_code == 200
    body = response.json()
    assert body == {"count": 4, "next": None, "previous": None, "results": EXPECTED}
    for secret in SECRETS:
        assert secret not in response.content.decode()


def test_an_inactive_users_token_is_refused(people, designations):
    assert api_client_for(people["inactive"]).get(LIST_URL).status_code == 401


@pytest.mark.parametrize("persona", ("anonymous", "committee", "admin"))
def test_the_list_is_read_only(persona, people, designations):
    client = api_client_for(people[persona])
    for verb in ("post", "put", "patch", "delete"):
        assert getattr(client, verb)(LIST_URL, {}, format="json").status_code in (401, 405)
    assert client.get(f"{LIST_URL}OWNER/").status_code == 404


def test_filters_and_pagination(people, orgs, designations):
    europe = RegionFactory(code="150", name="Europe")
    orgs["owner"].regions.add(europe)
    client = api_client_for()

    def acronyms(**params):
        response = client.get(LIST_URL, params)
        assert response.status_code == 200, response.content
        return [row["organization"] for row in response.json()["results"]]

    assert acronyms(designated="yes", role="assistance") == ["OWNER"]
    assert acronyms(designated="no", role="implementation") == ["CHOSEN", "OWNER", "ZNONE"]
    assert acronyms(designated="yes") == []
    assert acronyms(region="150") == ["OWNER"]
    assert acronyms(q="znon") == ["ZNONE"]
    page = client.get(LIST_URL, {"page_size": 2, "page": 2}).json()
    assert (page["count"], page["results"]) == (4, EXPECTED[2:])
    for junk in ({"designated": "maybe"}, {"role": "x"}, {"region": "999"}, {"q": "\x00"}):
        assert client.get(LIST_URL, junk).status_code == 400
    assert client.get(LIST_URL, {"page": 9}).status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_constant(count, db, django_assert_num_queries):
    for index in range(count):
        organization = OrganizationFactory(acronym=f"ORG-{index:02d}")
        contact(organization, ContactRole.ASSISTANCE, since=datetime.date(2011, 1, 1))
        contact(organization, ContactRole.IMPLEMENTATION, state=State.DRAFT)
    client = api_client_for()
    with django_assert_num_queries(3):  # count, page, the page's designations
        response = client.get(LIST_URL, {"page_size": 200})
    assert response.json()["count"] == count
    assert all(row["assistance"]["designated"] for row in response.json()["results"])
    assert not any(row["implementation"]["designated"] for row in response.json()["results"])
