"""IROs answer the Committee's demarches (issue 11): the organization concerned sees them on its dashboard and its
profile and answers by designating the contact asked for (which closes the demarche) or with a reply; the Committee
sees the answer in the log and the IGO chronology and is notified. Also: the log's organization filter offers only
the viewer's organizations (problem 15) and there is one demarche form (problem 6)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from confidentiality.models import Audience, State
from contacts import services
from contacts.models import ContactRole, Demarche, PointOfContact
from portal.accounts.models import Role
from portal.notifications.models import Notification
from portal.notifications.services import notification_deliver
from tests.contacts.conftest import CANARY
from tests.contacts.test_contact_pages import form_data
from tests.factories import DemarcheFactory, UserFactory
from tests.world import client_for

pytestmark = pytest.mark.django_db

SEES = {"owner_focal", "owner_member", "committee", "admin"}
ANSWERS = {"owner_focal", "admin"}


@pytest.fixture
def demarche(orgs, people):
    return DemarcheFactory(
        organization=orgs["owner"],
        request=Demarche.Request.DESIGNATE_ASSISTANCE,
        details=f"{CANARY} please designate",
        sent_on=timezone.localdate() - datetime.timedelta(days=30),
        follow_up_due=timezone.localdate() + datetime.timedelta(days=30),
        sent_by=people["committee"],
    )


def page(demarche) -> str:
    return reverse("contacts:demarche_answer", args=[demarche.pk])


def answered_rows():
    return list(Demarche.objects.order_by("pk").values_list("pk", "answered_on", "reply", "designation_id"))


# --- who sees it, where -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["owner_focal", "owner_member", "selected_member", "other_focal", "committee", "admin"]
)
def test_the_demarche_page_is_for_whom_may_see_it_and_its_answer_form_for_the_focal_point(sign_in, demarche, persona):
    response = sign_in(persona).get(page(demarche))

    if persona not in SEES:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert CANARY in body
    assert ('id="send-reply"' in body) is (persona in ANSWERS)
    assert ('id="designate-now"' in body) is (persona in ANSWERS)


def test_the_focal_points_dashboard_lists_the_demarche_to_answer(sign_in, demarche):
    body = sign_in("owner_focal").get(reverse("dashboard:home")).content.decode()

    todo = body.split('id="todo-demarches"')[1].split("</li>\n        {% endif %}")[0]
    assert "Answer 1 demarche from the Committee" in todo
    assert f'href="{page(demarche)}"' in todo
    assert ">Answer<" in todo


def test_a_members_dashboard_lists_it_without_the_answer_link(sign_in, demarche):
    body = sign_in("owner_member").get(reverse("dashboard:home")).content.decode()

    assert "Answer 1 demarche from the Committee" in body
    assert 'class="fw-semibold" href' not in body.split('id="todo-demarches"')[1].split("</ul>")[0]


@pytest.mark.parametrize(
    "persona", ["anonymous", "owner_focal", "owner_member", "selected_member", "committee", "admin"]
)
def test_the_organization_page_shows_its_demarches_to_whom_may_see_them(sign_in, demarche, persona):
    body = sign_in(persona).get(reverse("iros:detail", args=["OWNER"])).content.decode()

    assert ('id="demarches-panel"' in body) is (persona in SEES)
    assert (f'href="{page(demarche)}"' in body) is (persona in SEES)
    assert ('visually-hidden"> — Designate a point of contact for assistance' in body) is (persona in ANSWERS)


# --- answering with a reply -----------------------------------------------------------------------------------------


def test_a_focal_point_replies_and_the_committee_is_notified(
    sign_in, demarche, people, django_capture_on_commit_callbacks
):
    other_expert = UserFactory(role=Role.COMMITTEE)

    with django_capture_on_commit_callbacks() as callbacks:
        response = sign_in("owner_focal").post(page(demarche), {"action": "reply", "reply": "We designate by June."})

    assert response.status_code == 302
    demarche.refresh_from_db()
    assert (demarche.answered_on, demarche.reply, demarche.answered_by) == (
        timezone.localdate(),
        "We designate by June.",
        people["owner_focal"],
    )
    notified = Notification.objects.filter(kind=Notification.Kind.DEMARCHE_ANSWERED, record_id=demarche.pk)
    assert set(notified.values_list("recipient", flat=True)) == {people["committee"].pk, other_expert.pk}
    assert len(callbacks) == 1  # delivery queued once the answer is committed
    # delivered (in the portal, no e-mail): the experts may see the demarche
    assert {notification_deliver(notification_id=row.pk) for row in notified} == {"delivered"}


def test_the_committee_sees_the_reply_in_the_log_the_igo_chronology_and_its_form(sign_in, demarche, people):
    services.demarche_answer(actor=people["owner_focal"], demarche=demarche, reply="We designate by June.")
    client = sign_in("committee")

    log = client.get(reverse("contacts:demarches")).content.decode()
    igo = client.get(reverse("igo:organization", args=["OWNER"])).content.decode()
    form = client.get(reverse("contacts:demarche_edit", args=[demarche.pk])).content.decode()

    for body in (log, igo, form):
        assert "OWNER replied:" in body
        assert "We designate by June." in body
    assert "owner-focal" in form.split('id="organization-answer"')[1]


def test_an_empty_reply_is_a_form_error_and_writes_nothing(sign_in, demarche):
    before = answered_rows()

    response = sign_in("owner_focal").post(page(demarche), {"action": "reply", "reply": "  "})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert answered_rows() == before


@pytest.mark.parametrize("persona", ["owner_member", "committee"])
def test_whom_may_only_read_it_cannot_answer(sign_in, demarche, persona):
    before = answered_rows()

    response = sign_in(persona).post(page(demarche), {"action": "reply", "reply": "Changed"})

    assert response.status_code == 403
    assert answered_rows() == before
    assert not Notification.objects.exists()


@pytest.mark.parametrize("persona", ["selected_member", "other_focal"])
def test_another_organization_gets_404(sign_in, demarche, persona):
    before = answered_rows()

    assert sign_in(persona).post(page(demarche), {"action": "reply", "reply": "Changed"}).status_code == 404
    assert answered_rows() == before


def test_an_answered_demarche_is_not_answered_again(sign_in, demarche, people):
    services.demarche_answer(actor=people["owner_focal"], demarche=demarche, reply="First")
    before = answered_rows()
    client = sign_in("owner_focal")

    body = client.get(page(demarche)).content.decode()
    response = client.post(page(demarche), {"action": "reply", "reply": "Second"})

    assert 'id="send-reply"' not in body
    assert response.status_code == 302
    assert answered_rows() == before
    with pytest.raises(PermissionDenied):
        services.demarche_answer(actor=people["owner_focal"], demarche=demarche, reply="Third")


# --- answering by designating -----------------------------------------------------------------------------------


def test_designating_the_contact_asked_for_answers_the_demarche(sign_in, demarche, orgs, people):
    other_role = DemarcheFactory(organization=orgs["owner"], request=Demarche.Request.DESIGNATE_IMPLEMENTATION)
    information = DemarcheFactory(organization=orgs["owner"], request=Demarche.Request.INFORMATION)
    elsewhere = DemarcheFactory(organization=orgs["other"], request=Demarche.Request.DESIGNATE_ASSISTANCE)

    response = sign_in("owner_focal").post(reverse("contacts:create"), form_data(action="submit"), follow=True)

    demarche.refresh_from_db()
    contact = demarche.designation
    assert contact is not None and contact.person == "Amina Diallo"
    assert (demarche.answered_on, demarche.answered_by) == (timezone.localdate(), people["owner_focal"])
    assert "It answers the Committee's demarche asking for it." in str(list(response.context["messages"])[0])
    for unrelated in (other_role, information, elsewhere):
        unrelated.refresh_from_db()
        assert unrelated.is_open
    assert Notification.objects.filter(kind=Notification.Kind.DEMARCHE_ANSWERED, record_id=demarche.pk).exists()


def test_a_draft_does_not_answer_but_submitting_it_does(sign_in, demarche):
    client = sign_in("owner_focal")
    client.post(reverse("contacts:create"), form_data(action="draft"))
    demarche.refresh_from_db()
    assert demarche.is_open

    draft = PointOfContact.objects.get()
    client.post(reverse("contacts:submit", args=[draft.pk]))

    demarche.refresh_from_db()
    assert demarche.designation_id == draft.pk
    assert not demarche.is_open


def test_a_replacement_answers_a_request_to_designate_anew(demarche, make_contact, people):
    current = make_contact(since=datetime.date(2020, 1, 1))

    successor = services.contact_replace(
        actor=people["owner_focal"], contact=current, until=timezone.localdate(), person="Ana Pérez"
    )

    demarche.refresh_from_db()
    assert demarche.designation_id == successor.pk


def test_answering_with_the_standing_contact(sign_in, demarche, make_contact):
    contact = make_contact(person="Already There", audience=Audience.COMMITTEE)
    client = sign_in("owner_focal")

    body = client.get(page(demarche)).content.decode()
    assert "“Already There” holds the role “Point of contact for assistance”" in body
    client.post(page(demarche), {"action": "designation"})

    demarche.refresh_from_db()
    assert demarche.designation_id == contact.pk and not demarche.is_open
    committee_log = sign_in("committee").get(reverse("contacts:demarches")).content.decode()
    assert "Designated a point of contact: “Point of contact for assistance”" in committee_log
    assert f'href="{contact.get_absolute_url()}" translate="no">Already There</a>' in committee_log


def test_the_contact_that_answered_is_named_only_to_whom_may_read_it(sign_in, demarche, make_contact, people):
    contact = make_contact(person=f"{CANARY} person", audience=Audience.COMMITTEE)
    services.demarche_answer(actor=people["owner_focal"], demarche=demarche, designation=contact)
    services.contact_update(actor=people["owner_focal"], contact=contact, state=State.DRAFT)  # the Committee loses it

    body = sign_in("committee").get(reverse("contacts:demarches")).content.decode()

    assert "Designated the point of contact asked for." in body
    assert f"{CANARY} person" not in body


@pytest.mark.parametrize(
    "wrong",
    [
        {"role": ContactRole.IMPLEMENTATION},
        {"state": State.DRAFT},
        {"until": datetime.date(2021, 1, 1), "since": datetime.date(2020, 1, 1)},
    ],
)
def test_only_the_standing_contact_asked_for_answers(demarche, make_contact, people, wrong):
    contact = make_contact(**wrong)
    before = answered_rows()

    with pytest.raises(ValidationError):
        services.demarche_answer(actor=people["owner_focal"], demarche=demarche, designation=contact)

    assert answered_rows() == before


# --- the API ------------------------------------------------------------------------------------------------------


def test_the_api_answers_with_a_reply_or_a_designation(people, demarche, make_contact, orgs):
    client = client_for(people, "owner_focal")

    response = client.post(reverse("api:demarches-answer", args=[demarche.pk]), {"reply": "By June."}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["reply"], response.json()["open"], response.json()["answered_by_designation"]) == (
        "By June.",
        False,
        False,
    )
    second = DemarcheFactory(organization=orgs["owner"])
    contact = make_contact()
    response = client.post(
        reverse("api:demarches-answer", args=[second.pk]), {"designation": contact.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["answered_by_designation"] is True


@pytest.mark.parametrize(
    ("persona", "status"), [("owner_member", 403), ("committee", 403), ("other_member", 404), ("anonymous", 404)]
)
def test_the_api_refuses_whom_may_not_answer(people, demarche, persona, status):
    before = answered_rows()

    response = client_for(people, persona).post(
        reverse("api:demarches-answer", args=[demarche.pk]), {"reply": "X"}, format="json"
    )

    assert response.status_code == status
    assert answered_rows() == before


def test_the_api_reads_a_hidden_contact_like_a_missing_one(people, demarche, make_contact, orgs):
    elsewhere = make_contact(owner=orgs["other"], audience=Audience.COMMITTEE)
    before = answered_rows()

    response = client_for(people, "owner_focal").post(
        reverse("api:demarches-answer", args=[demarche.pk]), {"designation": elsewhere.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"designation": ["Unknown point of contact."]}
    assert answered_rows() == before


# --- the log's organization filter (problem 15) -------------------------------------------------------------------


def test_an_iro_users_log_offers_only_its_own_organization(sign_in, demarche):
    response = sign_in("owner_member").get(reverse("contacts:demarches"))

    choices = [value for value, _label in response.context["filterset"].form.fields["organization"].choices]
    assert [str(value) for value in choices] == ["", "OWNER"]


def test_the_committees_log_offers_every_organization(sign_in, demarche, orgs):
    response = sign_in("committee").get(reverse("contacts:demarches"))

    choices = [str(value) for value, _label in response.context["filterset"].form.fields["organization"].choices]
    assert choices == ["", "CHOSEN", "OTHER", "OWNER"]


def test_asking_for_an_organization_not_offered_shows_nothing(sign_in, demarche, orgs):
    DemarcheFactory(organization=orgs["selected"])

    response = sign_in("selected_member").get(reverse("contacts:demarches"), {"organization": "OWNER"})

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert CANARY not in response.content.decode()


# --- one demarche form (problem 6) --------------------------------------------------------------------------------


def test_every_way_to_record_a_demarche_leads_to_the_one_form(sign_in, orgs):
    client = sign_in("committee")
    form_url = reverse("contacts:demarche_create")

    for page_url in (reverse("igo:tables"), reverse("dashboard:home"), reverse("contacts:demarches")):
        assert f'href="{form_url}"' in client.get(page_url).content.decode(), page_url
    igo_organization = client.get(reverse("igo:organization", args=["OWNER"])).content.decode()
    assert f'href="{form_url}?organization=OWNER"' in igo_organization
    moved = client.get(reverse("igo:demarche_moved") + "?organization=OWNER")
    assert moved.status_code == 301 and moved["Location"] == f"{form_url}?organization=OWNER"


def test_the_form_has_an_empty_choice_unless_the_link_names_the_organization(sign_in, orgs):
    client = sign_in("committee")

    blank = client.get(reverse("contacts:demarche_create")).context["form"]
    given = client.get(reverse("contacts:demarche_create"), {"organization": "OWNER"}).context["form"]

    assert list(blank.fields) == list(given.fields)
    assert list(blank.fields) == [
        "organization",
        "request",
        "details",
        "channel",
        "sent_on",
        "follow_up_due",
        "answered_on",
        "outcome",
    ]
    assert str(blank["organization"]).count('<option value="" selected>') == 1
    assert '<option value="OWNER" selected translate="no">' in str(given["organization"])
    assert '<option value="">' in str(given["organization"])  # the empty choice stays
