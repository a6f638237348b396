"""The demarche log and forms: Committee experts and administrators record demarches; the organization concerned
sees its own; other organizations never do."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Demarche
from tests.contacts.conftest import CANARY, PAGE_PERSONAS
from tests.factories import DemarcheFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

# Who may see a demarche to OWNER.
SEES_OWNER_DEMARCHES = {"owner_focal", "owner_member", "committee", "admin"}
RECORDS = {"committee", "admin"}


def demarche_data(**overrides) -> dict:
    data = {
        "organization": "OWNER",
        "request": Demarche.Request.DESIGNATE_ASSISTANCE,
        "details": "Please designate a point of contact for assistance.",
        "channel": Demarche.Channel.NOTE_VERBALE,
        "sent_on": "2025-01-10",
        "follow_up_due": "2025-03-10",
        "answered_on": "",
        "outcome": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def demarche(orgs):
    return DemarcheFactory(
        organization=orgs["owner"],
        details=f"{CANARY} details",
        outcome=f"{CANARY} outcome",
        sent_on=datetime.date(2025, 1, 10),
        answered_on=datetime.date(2025, 2, 1),
    )


@pytest.mark.parametrize("persona", PAGE_PERSONAS)
def test_every_demarche_page_renders_for_every_persona(sign_in, demarche, persona):
    client = sign_in(persona)

    log = client.get(reverse("contacts:demarches"))
    create = client.get(reverse("contacts:demarche_create"))
    edit = client.get(reverse("contacts:demarche_edit", args=[demarche.pk]))

    if persona == "anonymous":
        for response in (log, create, edit):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
        return
    assert log.status_code == 200
    assert "Demarche log · 1540 IRO Portal" in log.content.decode()
    assert (CANARY in log.content.decode()) is (persona in SEES_OWNER_DEMARCHES)
    assert create.status_code == (200 if persona in RECORDS else 403)
    # Visible but read-only: 403; hidden: 404, like a missing one.
    expected_edit = 200 if persona in RECORDS else 403 if persona in SEES_OWNER_DEMARCHES else 404
    assert edit.status_code == expected_edit


@pytest.mark.parametrize("persona", ["owner_focal", "owner_member", "selected_member", "other_member"])
def test_iro_users_cannot_record_or_change_demarches_and_nothing_is_written(sign_in, demarche, persona):
    client = sign_in(persona)

    create = client.post(reverse("contacts:demarche_create"), demarche_data())
    edit = client.post(reverse("contacts:demarche_edit", args=[demarche.pk]), demarche_data(outcome="Changed"))

    assert create.status_code == 403
    assert edit.status_code == (403 if persona in SEES_OWNER_DEMARCHES else 404)
    assert Demarche.objects.count() == 1
    demarche.refresh_from_db()
    assert demarche.outcome == f"{CANARY} outcome"


def test_a_missing_demarche_is_404(sign_in):
    for persona in ("committee", "other_member"):
        assert sign_in(persona).get(reverse("contacts:demarche_edit", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "selected_member", "other_member"])
def test_demarches_of_another_organization_appear_in_no_page(sign_in, demarche, make_contact, persona):
    client = sign_in(persona)
    pages = [reverse("iros:detail", args=["OWNER"]), reverse("iros:list")]
    if persona != "anonymous":
        pages += [
            reverse("contacts:demarches"),
            reverse("contacts:demarches") + "?organization=OWNER",
            reverse("contacts:demarches") + "?status=answered",
            reverse("contacts:list"),
        ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert CANARY not in response.content.decode(), url
    if persona != "anonymous":
        filtered = client.get(reverse("contacts:demarches") + "?organization=OWNER")
        assert filtered.context["page_obj"].paginator.count == 0


def test_the_committee_records_a_demarche_and_then_its_answer(sign_in, people, orgs):
    client = sign_in("committee")

    response = client.post(reverse("contacts:demarche_create"), demarche_data())

    demarche = Demarche.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#demarche-{demarche.pk}")
    assert (demarche.organization, demarche.sent_by, demarche.answered_on) == (orgs["owner"], people["committee"], None)

    response = client.post(
        reverse("contacts:demarche_edit", args=[demarche.pk]),
        demarche_data(organization="OTHER", answered_on="2025-02-20", outcome="Designated Ms Diallo."),
    )

    assert response.status_code == 302
    demarche.refresh_from_db()
    assert demarche.answered_on == datetime.date(2025, 2, 20)
    assert demarche.outcome == "Designated Ms Diallo."
    assert demarche.organization == orgs["owner"]  # the organization is chosen once


def test_the_form_offers_no_organization_until_one_is_chosen_or_given_in_the_address(sign_in, orgs):
    client = sign_in("committee")

    blank = client.get(reverse("contacts:demarche_create")).context["form"]
    given = client.get(reverse("contacts:demarche_create"), {"organization": "OWNER"}).context["form"]

    assert list(blank.fields["organization"].choices)[0][0] == ""
    assert blank["organization"].value() is None
    assert given["organization"].value() == "OWNER"
    assert '<option value="OWNER" selected translate="no">' in str(given["organization"])


def test_invalid_demarche_input_is_a_form_error_and_writes_nothing(sign_in):
    client = sign_in("admin")

    response = client.post(
        reverse("contacts:demarche_create"),
        demarche_data(sent_on="2025-05-01", follow_up_due="2025-04-01", answered_on="2025-04-02", channel="pigeon"),
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert "The follow-up cannot be due before the demarche was sent." in body
    assert "The answer cannot come before the demarche was sent." in body
    assert Demarche.objects.count() == 0


def test_overdue_follow_ups_are_highlighted_and_filtered(sign_in, orgs):
    today = timezone.localdate()
    overdue = DemarcheFactory(
        organization=orgs["owner"],
        sent_on=today - datetime.timedelta(days=60),
        follow_up_due=today - datetime.timedelta(days=1),
    )
    DemarcheFactory(
        organization=orgs["owner"],
        sent_on=today - datetime.timedelta(days=60),
        follow_up_due=today + datetime.timedelta(days=5),
    )
    DemarcheFactory(
        organization=orgs["other"],
        sent_on=today - datetime.timedelta(days=60),
        follow_up_due=today - datetime.timedelta(days=10),
        answered_on=today - datetime.timedelta(days=20),
        request=Demarche.Request.INFORMATION,
    )
    client = sign_in("committee")

    body = client.get(reverse("contacts:demarches")).content.decode()
    assert body.count("demarche-overdue") == 1
    assert f'id="demarche-{overdue.pk}" class="table-warning demarche-overdue"' in body

    def ids(query):
        return [d.pk for d in client.get(reverse("contacts:demarches"), query).context["demarches"]]

    assert ids({"overdue": "yes"}) == [overdue.pk]
    assert len(ids({"status": "open"})) == 2
    assert len(ids({"status": "answered"})) == 1
    assert len(ids({"organization": "OTHER"})) == 1
    assert len(ids({"request": "information"})) == 1
    for junk in ({"organization": "NOPE"}, {"overdue": "x"}, {"page": "x"}):
        assert client.get(reverse("contacts:demarches"), junk).status_code == 200


def test_the_organization_concerned_sees_its_demarches_but_no_edit_button(sign_in, demarche):
    body = sign_in("owner_member").get(reverse("contacts:demarches")).content.decode()

    assert CANARY in body
    assert reverse("contacts:demarche_edit", args=[demarche.pk]) not in body
    assert reverse("contacts:demarche_create") not in body


# Exact baselines for /contacts/demarches/ — the same with 1 and with 30 demarches.
# (with the navbar's unread notifications count)
LOG_QUERIES = {"owner_member": 7, "committee": 6, "admin": 6}


@pytest.mark.parametrize("persona", list(LOG_QUERIES))
def test_demarche_log_query_count_is_the_same_for_1_and_30_rows(
    sign_in, orgs, people, django_assert_num_queries, persona
):
    client = sign_in(persona)
    DemarcheFactory(organization=orgs["owner"], sent_by=people["committee"])
    with django_assert_num_queries(LOG_QUERIES[persona]):
        response = client.get(reverse("contacts:demarches"))
    assert len(response.context["demarches"]) == 1

    for _ in range(29):
        DemarcheFactory(organization=orgs["owner"], sent_by=people["committee"], follow_up_due=None)
    DemarcheFactory(organization=OrganizationFactory(acronym="ELSEWHERE"))
    with django_assert_num_queries(LOG_QUERIES[persona]):
        response = client.get(reverse("contacts:demarches"))
    assert len(response.context["demarches"]) == 25
