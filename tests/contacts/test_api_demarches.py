"""The demarches API: who sees and records them, validation, filters and query counts."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Demarche
from tests.factories import DemarcheFactory, api_client_for
from tests.world import client_for

LIST_URL = reverse("api:demarches-list")
# One demarche to OWNER, one to OTHER.
SEES = {
    "anonymous": set(),
    "owner_focal": {"owner"},
    "owner_member": {"owner"},
    "other_member": {"other"},
    "committee": {"owner", "other"},
    "admin": {"owner", "other"},
}
WRITERS = {"committee", "admin"}


@pytest.fixture
def demarches(orgs):
    result = {}
    for case in ("owner", "other"):
        canary = f"CANARY-{case}-{uuid.uuid4().hex[:10]}"
        demarche = DemarcheFactory(organization=orgs[case], details=canary, sent_on=datetime.date(2024, 3, 1))
        demarche.canary = canary
        result[case] = demarche
    return result


def snapshot():
    return list(Demarche.objects.order_by("pk").values())


PAYLOAD = {
    "organization": "OWNER",
    "request": "designate_assistance",
    "channel": "letter",
    "sent_on": "2024-03-01",
    "follow_up_due": "2024-06-01",
    "details": "Letter from the Chair.",
}


@pytest.mark.parametrize("persona", tuple(SEES))
def test_read_matrix_and_refused_writes(persona, people, demarches):
    client = client_for(people, persona)
    before = snapshot()
    response = client.get(LIST_URL, {"page_size": 200})
    assert response.status_code == 200
    expected = {demarches[case].pk for case in SEES[persona]}
    assert {row["id"] for row in response.json()["results"]} == expected
    assert response.json()["count"] == len(expected)
    bodies = [response.content.decode()]
    for case, demarche in demarches.items():
        url = reverse("api:demarches-detail", args=[demarche.pk])
        visible = case in SEES[persona]
        detail = client.get(url)
        bodies.append(detail.content.decode())
        assert detail.status_code == (200 if visible else 404)
        if visible:
            assert detail.json()["organization"] == demarche.organization.acronym
            assert detail.json()["details"] == demarche.canary
        for verb, payload in (("patch", {"outcome": "x"}), ("put", {**PAYLOAD, "outcome": "x"})):
            answer = getattr(client, verb)(url, payload, format="json")
            bodies.append(answer.content.decode())
            if not visible:
                assert answer.status_code == 404, (verb, case)
            elif persona not in WRITERS:
                assert answer.status_code == 403, (verb, case)
        # no delete for demarches: the same answer whether the record is hidden, visible or missing
        assert (
            client.delete(url).status_code
            == client.delete(reverse("api:demarches-detail", args=[987654321])).status_code
            == 405
        )
    if persona not in WRITERS:
        assert snapshot() == before
    joined = "\n".join(bodies)
    for case, demarche in demarches.items():
        if case not in SEES[persona]:
            assert demarche.canary not in joined


def test_an_inactive_users_token_is_refused(people, demarches):
    client = api_client_for(people["inactive"])
    assert client.get(LIST_URL).status_code == 401
    assert client.get(reverse("api:demarches-detail", args=[demarches["owner"].pk])).status_code == 401
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
def test_only_the_committee_and_administrators_record_demarches(persona, expected, people, orgs):
    response = client_for(people, persona).post(LIST_URL, PAYLOAD, format="json")
    assert response.status_code == expected, response.content
    if expected == 201:
        body = response.json()
        assert body["organization"] == "OWNER"
        assert body["open"] is True
        demarche = Demarche.objects.get()
        assert demarche.sent_by == people[persona]
        assert body["id"] == demarche.pk
    else:
        assert not Demarche.objects.exists()


def test_the_committee_records_the_answer(people, demarches):
    demarche = demarches["owner"]
    client = client_for(people, "committee")
    response = client.patch(
        reverse("api:demarches-detail", args=[demarche.pk]),
        {"answered_on": "2024-04-15", "outcome": "Designated."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["open"] is False
    demarche.refresh_from_db()
    assert (demarche.answered_on, demarche.outcome) == (datetime.date(2024, 4, 15), "Designated.")
    replaced = client.put(
        reverse("api:demarches-detail", args=[demarche.pk]), {**PAYLOAD, "request": "information"}, format="json"
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["request"] == "information"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"organization": "NOPE"}, "organization"),
        ({"organization": None}, "organization"),
        ({"request": "nonsense"}, "request"),
        ({"channel": "pigeon"}, "channel"),
        ({"sent_on": "2024-13-45"}, "sent_on"),
        ({"sent_on": None}, "sent_on"),
        ({"follow_up_due": "2024-01-01"}, "follow_up_due"),
        ({"answered_on": "2024-02-01"}, "answered_on"),
        ({"details": "x" * 20001}, "details"),
        ({"details": "nul\x00"}, "details"),
    ],
)
def test_invalid_demarche_is_400_and_writes_nothing(payload, field, people, orgs):
    response = client_for(people, "committee").post(LIST_URL, {**PAYLOAD, **payload}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Demarche.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"organization": "OTHER"}, "organization"),
        ({"answered_on": "2024-01-01"}, "answered_on"),
        ({"sent_on": "2024-07-01", "follow_up_due": "2024-06-01"}, "follow_up_due"),
        ({"request": ""}, "request"),
    ],
)
def test_invalid_change_is_400_and_writes_nothing(payload, field, people, demarches):
    before = snapshot()
    response = client_for(people, "admin").patch(
        reverse("api:demarches-detail", args=[demarches["owner"].pk]), payload, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert snapshot() == before


def test_malformed_json_is_400(people, orgs):
    response = client_for(people, "committee").post(LIST_URL, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert not Demarche.objects.exists()


def test_filters_ordering_and_pagination(people, orgs):
    today = timezone.localdate()
    overdue = DemarcheFactory(
        organization=orgs["owner"],
        sent_on=today - datetime.timedelta(days=90),
        follow_up_due=today - datetime.timedelta(days=1),
    )
    pending = DemarcheFactory(
        organization=orgs["owner"],
        sent_on=today - datetime.timedelta(days=10),
        follow_up_due=today + datetime.timedelta(days=30),
    )
    answered = DemarcheFactory(
        organization=orgs["other"],
        request=Demarche.Request.INFORMATION,
        sent_on=today - datetime.timedelta(days=200),
        answered_on=today - datetime.timedelta(days=100),
    )
    client = client_for(people, "committee")

    def ids(**params):
        response = client.get(LIST_URL, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [pending.pk, overdue.pk, answered.pk]  # newest first
    assert ids(ordering="sent_on") == [answered.pk, overdue.pk, pending.pk]
    assert ids(organization="OWNER") == [pending.pk, overdue.pk]
    assert ids(request="information") == [answered.pk]
    assert ids(status="open") == [pending.pk, overdue.pk]
    assert ids(status="answered") == [answered.pk]
    assert ids(overdue="yes") == [overdue.pk]
    assert ids(search="OTHER") == [answered.pk]
    page = client.get(LIST_URL, {"page_size": 2, "page": 2}).json()
    assert (page["count"], [row["id"] for row in page["results"]]) == (3, [answered.pk])
    for junk in ({"organization": "NOPE"}, {"status": "maybe"}, {"overdue": "perhaps"}, {"request": "x"}):
        assert client.get(LIST_URL, junk).status_code == 400
    assert client.get(LIST_URL, {"page": 9}).status_code == 404
    # an IRO user's filters narrow only what it sees
    assert client_for(people, "owner_member").get(LIST_URL, {"organization": "OTHER"}).json()["count"] == 0


@pytest.mark.parametrize(("persona", "queries"), [("committee", 3), ("owner_member", 4)])
@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_constant(count, persona, queries, people, orgs, django_assert_num_queries):
    for _ in range(count):
        DemarcheFactory(organization=orgs["owner"], sent_by=people["committee"])
    client = client_for(people, persona)
    client.get(LIST_URL)  # warm the token and shared-group caches
    # token (+ membership for an IRO user), count, page
    with django_assert_num_queries(queries):
        response = client.get(LIST_URL, {"page_size": 200})
    assert response.json()["count"] == count
