"""The organizations, reference codes, events and interactions API."""

import uuid

import pytest
from django.urls import reverse

from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from iros.models import Event, Interaction, Organization
from tests.factories import (
    AgreementFactory,
    EventFactory,
    InteractionFactory,
    OrganizationFactory,
    ProgramFactory,
    RegionFactory,
    ThematicAreaFactory,
    api_client_for,
)
from tests.world import client_for

# --- organizations ------------------------------------------------------------------------------------------


def test_organizations_are_public_and_looked_up_by_acronym(orgs):
    # Literal paths on purpose: CONTRACT.md promises these URLs, an organization looked up by its acronym.
    europe = RegionFactory(code="150", name="Europe")
    orgs["owner"].regions.add(europe)
    client = api_client_for()
    body = client.get("/api/v1/organizations/").json()
    assert [row["acronym"] for row in body["results"]] == ["CHOSEN", "OTHER", "OWNER"]
    detail = client.get("/api/v1/organizations/OWNER/")
    assert detail.status_code == 200
    assert detail.json()["regions"] == ["150"]
    assert client.get("/api/v1/organizations/NOPE/").status_code == 404
    assert client.get("/api/v1/organizations/", {"region": "150"}).json()["count"] == 1
    assert client.get("/api/v1/organizations/", {"search": "other"}).json()["count"] == 1
    assert client.get("/api/v1/organizations/", {"ordering": "-acronym"}).json()["results"][0]["acronym"] == "OWNER"


@pytest.mark.parametrize(
    ("persona", "acronym", "payload", "expected"),
    [
        ("anonymous", "OWNER", {"seat": "Vienna"}, 401),
        ("inactive", "OWNER", {"seat": "Vienna"}, 401),
        ("owner_member", "OWNER", {"seat": "Vienna"}, 403),
        ("other_member", "OWNER", {"seat": "Vienna"}, 403),
        ("committee", "OWNER", {"seat": "Vienna"}, 403),
        ("owner_focal", "OTHER", {"seat": "Vienna"}, 403),
        ("owner_focal", "OWNER", {"name": "Renamed"}, 403),
        ("owner_focal", "OWNER", {"seat": "Vienna"}, 200),
        ("admin", "OTHER", {"seat": "Vienna", "name": "Renamed"}, 200),
        ("owner_focal", "NOPE", {"seat": "Vienna"}, 404),
    ],
)
def test_organization_profile_writes(persona, acronym, payload, expected, people, orgs):
    before = list(Organization.objects.order_by("pk").values())
    response = client_for(people, persona).patch(
        reverse("api:organizations-detail", args=[acronym]), payload, format="json"
    )
    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json()["seat"] == "Vienna"
    else:
        assert list(Organization.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"regions": ["999"]}, "regions"),
        ({"mandate_areas": ["nope"]}, "mandate_areas"),
        ({"member_states": ["XX"]}, "member_states"),
        ({"website": "not a url"}, "website"),
        ({"acronym": "CHANGED"}, "acronym"),
        ({"seat": "x" * 201}, "seat"),
    ],
)
def test_invalid_organization_profile_is_400(payload, field, people, orgs):
    response = client_for(people, "owner_focal").patch(
        reverse("api:organizations-detail", args=["OWNER"]), payload, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_only_administrators_add_organizations(people, orgs):
    payload = {"acronym": "NEWORG", "name": "New organization", "kind": "regional", "regions": []}
    assert (
        client_for(people, "owner_focal").post(reverse("api:organizations-list"), payload, format="json").status_code
        == 403
    )
    assert api_client_for().post(reverse("api:organizations-list"), payload, format="json").status_code == 401
    response = client_for(people, "admin").post(reverse("api:organizations-list"), payload, format="json")
    assert response.status_code == 201
    assert Organization.objects.get(acronym="NEWORG").group_id is not None
    again = client_for(people, "admin").post(reverse("api:organizations-list"), payload, format="json")
    assert again.status_code == 400
    assert "acronym" in again.json()
    bad = client_for(people, "admin").post(
        reverse("api:organizations-list"), {**payload, "acronym": "bad acronym"}, format="json"
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("count", [1, 200])
def test_organization_list_query_count_is_constant(count, db, django_assert_num_queries):
    europe = RegionFactory(code="150", name="Europe")
    theme = ThematicAreaFactory(code="nuclear")
    for index in range(count):
        organization = OrganizationFactory(acronym=f"ORG-{index}")
        organization.regions.add(europe)
        organization.mandate_areas.add(theme)
    with django_assert_num_queries(4):  # count, page, regions, mandate areas
        response = api_client_for().get(reverse("api:organizations-list"), {"page_size": 200})
    assert response.json()["count"] == count


# --- reference codes ----------------------------------------------------------------------------------------


def test_reference_codes(db):
    world = RegionFactory(code="001", name="World")
    europe = RegionFactory(code="150", name="Europe")
    europe.parent = world
    europe.save()
    ThematicAreaFactory(code="nuclear", family="weapon", name="Nuclear")
    client = api_client_for()
    assert client.get(reverse("api:regions-detail", args=["150"])).json() == {
        "code": "150",
        "name": "Europe",
        "names": {"en": "Europe"},
        "parent": "001",
    }
    assert client.get(reverse("api:regions-list"), {"parent": "001"}).json()["count"] == 1
    assert client.get(reverse("api:regions-detail", args=["999"])).status_code == 404
    assert client.get("/api/v1/regions/abc/").status_code == 404
    assert client.get("/api/v1/regions/abc/").json() == {"detail": "Not found."}
    assert client.get(reverse("api:thematic-areas-detail", args=["nuclear"])).json()["family"] == "weapon"
    assert client.get(reverse("api:thematic-areas-list"), {"family": "weapon"}).json()["count"] == 1
    assert client.get(reverse("api:thematic-areas-detail", args=["nope"])).status_code == 404


@pytest.mark.parametrize("count", [1, 200])
def test_reference_list_query_counts(count, db, django_assert_num_queries):
    for index in range(count):
        RegionFactory(code=f"{index:03d}", name=f"Region {index}")
        ThematicAreaFactory(code=f"theme-{index}")
    client = api_client_for()
    with django_assert_num_queries(2):
        assert client.get(reverse("api:regions-list"), {"page_size": 200}).json()["count"] == count
    with django_assert_num_queries(2):
        assert client.get(reverse("api:thematic-areas-list"), {"page_size": 200}).json()["count"] == count


# --- events -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 401), ("owner_focal", 403), ("owner_member", 403), ("committee", 201), ("admin", 201)],
)
def test_event_create_permissions(persona, expected, people, orgs):
    RegionFactory(code="150", name="Europe")
    payload = {
        "title": "Vienna outreach",
        "start_date": "2010-12-15",
        "end_date": "2010-12-16",
        "place": "Vienna",
        "country": "AT",
        "region": "150",
        "participants": ["OWNER", "OTHER"],
    }
    response = client_for(people, persona).post(reverse("api:events-list"), payload, format="json")
    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.json()["participants"] == ["OTHER", "OWNER"]
        assert response.json()["region"] == "150"
    else:
        assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start_date": "2010-12-16", "end_date": "2010-12-15"}, "end_date"),
        ({"region": "999"}, "region"),
        ({"participants": ["NOPE"]}, "participants"),
        ({"thematic_areas": ["nope"]}, "thematic_areas"),
        ({"country": "XX"}, "country"),
        ({"attendance_count": -1}, "attendance_count"),
        ({"attendance_count": 1, "participants": ["OWNER", "OTHER"]}, "attendance_count"),
    ],
)
def test_invalid_event_is_400_and_writes_nothing(payload, field, people, orgs):
    response = client_for(people, "committee").post(
        reverse("api:events-list"), {"title": "Event", "start_date": "2010-12-15", **payload}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Event.objects.exists()


def test_events_are_public_and_read_only_for_iros(people, orgs):
    event = EventFactory(title="Outreach")
    event.participants.add(orgs["owner"])
    client = api_client_for()
    assert client.get(reverse("api:events-detail", args=[event.pk])).json()["participants"] == ["OWNER"]
    assert client.get(reverse("api:events-list"), {"organization": "OWNER"}).json()["count"] == 1
    assert client.get(reverse("api:events-list"), {"year": "0"}).status_code == 400
    assert (
        client_for(people, "owner_focal")
        .patch(reverse("api:events-detail", args=[event.pk]), {"title": "x"})
        .status_code
        == 403
    )
    assert (
        client_for(people, "committee")
        .patch(reverse("api:events-detail", args=[event.pk]), {"title": "New"})
        .status_code
        == 200
    )
    assert client_for(people, "owner_focal").delete(reverse("api:events-detail", args=[event.pk])).status_code == 403
    assert client_for(people, "admin").delete(reverse("api:events-detail", args=[event.pk])).status_code == 204


@pytest.mark.parametrize("count", [1, 200])
def test_event_list_query_count_is_constant(count, orgs, django_assert_num_queries):
    theme = ThematicAreaFactory(code="nuclear")
    for _ in range(count):
        event = EventFactory()
        event.participants.add(orgs["owner"])
        event.thematic_areas.add(theme)
    with django_assert_num_queries(4):  # count, page, participants, thematic areas
        response = api_client_for().get(reverse("api:events-list"), {"page_size": 200})
    assert response.json()["count"] == count


# --- interactions (the IGO tables) --------------------------------------------------------------------------

INTERACTION_SEES = {
    # private rows involving OWNER and OTHER, and a public one involving OTHER
    "anonymous": {"public"},
    "inactive": {"public"},
    "owner_focal": {"owner", "public"},
    "owner_member": {"owner", "public"},
    "other_member": {"other", "public"},
    "committee": {"owner", "other", "public"},
    "admin": {"owner", "other", "public"},
}


@pytest.fixture
def interactions(orgs):
    result = {}
    for case, organization, public in (("owner", "owner", False), ("other", "other", False), ("public", "other", True)):
        canary = f"CANARY-{case}-{uuid.uuid4().hex[:10]}"
        interaction = InteractionFactory(summary=canary, public=public)
        interaction.organizations.add(orgs[organization])
        interaction.canary = canary
        result[case] = interaction
    return result


@pytest.mark.parametrize("persona", tuple(INTERACTION_SEES))
def test_interaction_read_matrix(persona, people, interactions):
    client = client_for(people, persona)
    response = client.get(reverse("api:interactions-list"), {"page_size": 200})
    expected = {interactions[case].pk for case in INTERACTION_SEES[persona]}
    assert {row["id"] for row in response.json()["results"]} == expected
    assert response.json()["count"] == len(expected)
    bodies = [response.content.decode()]
    for case, interaction in interactions.items():
        detail = client.get(reverse("api:interactions-detail", args=[interaction.pk]))
        bodies.append(detail.content.decode())
        assert detail.status_code == (200 if case in INTERACTION_SEES[persona] else 404)
        if persona not in ("committee", "admin"):
            for verb in ("patch", "delete"):
                refused = getattr(client, verb)(
                    reverse("api:interactions-detail", args=[interaction.pk]), {"summary": "x"}
                )
                if case not in INTERACTION_SEES[persona]:
                    assert refused.status_code == 404
                else:
                    assert refused.status_code == (401 if persona in ("anonymous", "inactive") else 403)
    assert Interaction.objects.filter(summary="x").count() == 0
    joined = "\n".join(bodies)
    for case, interaction in interactions.items():
        if case not in INTERACTION_SEES[persona]:
            assert interaction.canary not in joined


def test_linked_records_the_caller_cannot_see_are_not_revealed(people, orgs):
    draft = ProgramFactory(organization=orgs["owner"], state=State.DRAFT, audience=Audience.COMMITTEE)
    grants_write(draft)
    agreement = AgreementFactory()
    agreement.parties.add(orgs["owner"])
    interaction = InteractionFactory(program=draft, agreement=agreement, public=True)
    interaction.organizations.add(orgs["other"])
    # a public row linking an owner's draft and an agreement the other IRO is not party to
    body = client_for(people, "other_member").get(reverse("api:interactions-detail", args=[interaction.pk])).json()
    assert body["program"] is None
    assert body["agreement"] is None
    committee = client_for(people, "committee").get(reverse("api:interactions-detail", args=[interaction.pk])).json()
    assert committee["program"] is None  # the Committee never sees drafts
    assert committee["agreement"] == agreement.pk
    admin = client_for(people, "admin").get(reverse("api:interactions-detail", args=[interaction.pk])).json()
    assert admin["program"] == draft.pk


def test_committee_records_interactions_and_hidden_links_read_as_unknown(people, orgs):
    draft = ProgramFactory(organization=orgs["owner"], state=State.DRAFT, audience=Audience.COMMITTEE)
    grants_write(draft)
    submitted = ProgramFactory(organization=orgs["owner"], state=State.SUBMITTED, audience=Audience.COMMITTEE)
    grants_write(submitted)
    client = client_for(people, "committee")
    payload = {"date": "2011-03-01", "kind": "briefing", "summary": "Briefing", "organizations": ["OWNER"]}
    hidden = client.post(reverse("api:interactions-list"), {**payload, "program": draft.pk}, format="json")
    missing = client.post(reverse("api:interactions-list"), {**payload, "program": 10**9}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json() == {"program": ["Unknown program."]}
    assert not Interaction.objects.exists()
    created = client.post(reverse("api:interactions-list"), {**payload, "program": submitted.pk}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["program"] == submitted.pk
    assert created.json()["organizations"] == ["OWNER"]
    for persona, expected in (("owner_focal", 403), ("anonymous", 401)):
        assert (
            client_for(people, persona).post(reverse("api:interactions-list"), payload, format="json").status_code
            == expected
        )
    bad = client.post(
        reverse("api:interactions-list"),
        {**payload, "organizations": ["NOPE"], "follow_up_due": "2011-01-01"},
        format="json",
    )
    assert bad.status_code == 400
    assert Interaction.objects.count() == 1


@pytest.mark.parametrize("count", [1, 200])
def test_interaction_list_query_count_is_constant(count, people, orgs, django_assert_num_queries):
    for _ in range(count):
        program = ProgramFactory(organization=orgs["owner"], state=State.SUBMITTED, audience=Audience.PUBLIC)
        grants_write(program)
        interaction = InteractionFactory(program=program)
        interaction.organizations.add(orgs["owner"])
    client = client_for(people, "owner_member")
    # token, its first use recorded, membership, count, page, organizations prefetch
    with django_assert_num_queries(6):
        response = client.get(reverse("api:interactions-list"), {"page_size": 200})
    assert response.json()["count"] == count
    assert all(row["program"] for row in response.json()["results"])
