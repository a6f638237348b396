"""The agreements API: who sees and records them, validation, filters and query counts."""

import datetime
import uuid

import pytest
from django.urls import reverse

from iros.models import Agreement
from tests.factories import AgreementFactory, OrganizationFactory, api_client_for
from tests.world import client_for

LIST_URL = reverse("api:agreements-list")
# One agreement with OWNER as a party, one between OTHER and THIRD.
SEES = {
    "anonymous": set(),
    "owner_focal": {"owner"},
    "owner_member": {"owner"},
    "other_member": {"other"},
    "committee": {"owner", "other"},
    "admin": {"owner", "other"},
}
WRITERS = {"committee", "admin"}
PAYLOAD = {
    "title": "Memorandum on capacity building",
    "kind": "mou",
    "parties": ["OWNER", "THIRD"],
    "committee_is_party": False,
    "signed_on": "2011-12-01",
    "signed_on_precision": "month",
    "summary": "Joint training.",
}


@pytest.fixture
def orgs(orgs):
    return {**orgs, "third": OrganizationFactory(acronym="THIRD")}


@pytest.fixture
def agreements(orgs):
    result = {}
    for case, parties in (("owner", ["owner"]), ("other", ["other", "third"])):
        canary = f"CANARY-{case}-{uuid.uuid4().hex[:10]}"
        agreement = AgreementFactory(title=canary, signed_on=datetime.date(2010, 5, 1))
        agreement.parties.set([orgs[key] for key in parties])
        agreement.canary = canary
        result[case] = agreement
    return result


def snapshot():
    return (
        list(Agreement.objects.order_by("pk").values()),
        sorted(Agreement.parties.through.objects.values_list("agreement_id", "organization_id")),
    )


@pytest.mark.parametrize("persona", tuple(SEES))
def test_read_matrix_and_refused_writes(persona, people, agreements):
    client = client_for(people, persona)
    before = snapshot()
    response = client.get(LIST_URL, {"page_size": 200})
    assert response.status_code == 200
    expected = {agreements[case].pk for case in SEES[persona]}
    assert {row["id"] for row in response.json()["results"]} == expected
    assert response.json()["count"] == len(expected)
    bodies = [response.content.decode()]
    for case, agreement in agreements.items():
        url = reverse("api:agreements-detail", args=[agreement.pk])
        visible = case in SEES[persona]
        detail = client.get(url)
        bodies.append(detail.content.decode())
        assert detail.status_code == (200 if visible else 404)
        if visible:
            assert detail.json()["title"] == agreement.canary
            assert detail.json()["parties"] == sorted(org.acronym for org in agreement.parties.all())
        for verb, payload in (("patch", {"summary": "x"}), ("put", {**PAYLOAD, "summary": "x"})):
            answer = getattr(client, verb)(url, payload, format="json")
            bodies.append(answer.content.decode())
            if not visible:
                assert answer.status_code == 404, (verb, case)
            elif persona not in WRITERS:
                assert answer.status_code == 403, (verb, case)
        assert (
            client.delete(url).status_code
            == client.delete(reverse("api:agreements-detail", args=[987654321])).status_code
            == 405
        )
    if persona not in WRITERS:
        assert snapshot() == before
    joined = "\n".join(bodies)
    for case, agreement in agreements.items():
        if case not in SEES[persona]:
            assert agreement.canary not in joined


def test_an_inactive_users_token_is_refused(people, agreements):
    client = api_client_for(people["inactive"])
    assert client.get(LIST_URL).status_code == 401
    assert client.get(reverse("api:agreements-detail", args=[agreements["owner"].pk])).status_code == 401
    assert client.post(LIST_URL, PAYLOAD, format="json").status_code == 401


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 401),
        ("inactive", 401),
        ("owner_focal", 403),
        ("owner_member", 403),
        ("other_member", 403),
        ("committee", 201),
        ("admin", 201),
    ],
)
def test_only_the_committee_and_administrators_record_agreements(persona, expected, people, orgs):
    response = client_for(people, persona).post(LIST_URL, PAYLOAD, format="json")
    assert response.status_code == expected, response.content
    if expected == 201:
        body = response.json()
        assert body == {**PAYLOAD, "id": Agreement.objects.get().pk, "parties": ["OWNER", "THIRD"]}
        # the parties see it
        assert (
            client_for(people, "owner_member").get(reverse("api:agreements-detail", args=[body["id"]])).status_code
            == 200
        )
        assert (
            client_for(people, "other_member").get(reverse("api:agreements-detail", args=[body["id"]])).status_code
            == 404
        )
    else:
        assert not Agreement.objects.exists()


def test_the_committee_changes_an_agreement(people, agreements):
    agreement = agreements["owner"]
    client = client_for(people, "committee")
    response = client.patch(
        reverse("api:agreements-detail", args=[agreement.pk]), {"parties": ["OWNER", "OTHER"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["parties"] == ["OTHER", "OWNER"]
    assert (
        client_for(people, "other_member").get(reverse("api:agreements-detail", args=[agreement.pk])).status_code == 200
    )
    replaced = client.put(reverse("api:agreements-detail", args=[agreement.pk]), PAYLOAD, format="json")
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["parties"] == ["OWNER", "THIRD"]
    assert replaced.json()["title"] == PAYLOAD["title"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"parties": ["OWNER", "NOPE"]}, "parties"),
        ({"parties": []}, "parties"),
        ({"parties": "OWNER"}, "parties"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"kind": "treaty"}, "kind"),
        ({"signed_on": "2011-02-30"}, "signed_on"),
        ({"signed_on_precision": "week"}, "signed_on_precision"),
        ({"committee_is_party": "perhaps"}, "committee_is_party"),
        ({"summary": "x" * 20001}, "summary"),
    ],
)
def test_invalid_agreement_is_400_and_writes_nothing(payload, field, people, orgs):
    response = client_for(people, "committee").post(LIST_URL, {**PAYLOAD, **payload}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Agreement.objects.exists()


def test_unknown_party_on_change_is_400_and_writes_nothing(people, agreements):
    before = snapshot()
    response = client_for(people, "admin").patch(
        reverse("api:agreements-detail", args=[agreements["owner"].pk]),
        {"title": "Renamed", "parties": ["NOPE"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"parties": ["Unknown organizations: NOPE."]}
    assert snapshot() == before


def test_filters_ordering_and_pagination(people, orgs):
    old = AgreementFactory(title="Alpha", kind=Agreement.Kind.MOU, signed_on=datetime.date(2008, 1, 1))
    old.parties.set([orgs["owner"]])
    new = AgreementFactory(
        title="Beta",
        kind=Agreement.Kind.EXCHANGE_OF_LETTERS,
        signed_on=datetime.date(2012, 1, 1),
        committee_is_party=True,
    )
    new.parties.set([orgs["owner"], orgs["other"]])
    undated = AgreementFactory(title="Gamma", kind=Agreement.Kind.OTHER, signed_on=None)
    undated.parties.set([orgs["third"]])
    client = client_for(people, "committee")

    def ids(**params):
        response = client.get(LIST_URL, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [new.pk, old.pk, undated.pk]  # newest first, undated last
    assert ids(ordering="title") == [old.pk, new.pk, undated.pk]
    assert ids(organization="OTHER") == [new.pk]
    assert ids(organization="OWNER") == [new.pk, old.pk]
    assert ids(kind="mou") == [old.pk]
    assert ids(committee_is_party="true") == [new.pk]
    assert ids(signed_on_after="2010-01-01") == [new.pk]
    assert ids(search="gamma") == [undated.pk]
    page = client.get(LIST_URL, {"page_size": 1, "page": 3}).json()
    assert (page["count"], [row["id"] for row in page["results"]]) == (3, [undated.pk])
    for junk in ({"organization": "NOPE"}, {"kind": "treaty"}, {"signed_on_after": "yesterday"}):
        assert client.get(LIST_URL, junk).status_code == 400
    assert client.get(LIST_URL, {"page": 9}).status_code == 404


@pytest.mark.parametrize(("persona", "queries"), [("committee", 4), ("owner_member", 5)])
@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_constant(count, persona, queries, people, orgs, django_assert_num_queries):
    for _ in range(count):
        AgreementFactory().parties.set([orgs["owner"], orgs["other"]])
    client = client_for(people, persona)
    client.get(LIST_URL)  # warm the token and shared-group caches
    # token (+ membership for an IRO user), count, page, parties
    with django_assert_num_queries(queries):
        response = client.get(LIST_URL, {"page_size": 200})
    assert response.json()["count"] == count
    assert all(row["parties"] == ["OTHER", "OWNER"] for row in response.json()["results"])
