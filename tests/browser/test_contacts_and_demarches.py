"""Points of contact and demarches in a real browser: a focal point replaces its point of contact from the form's
error in one step, and a member organization answers the Committee's demarche, which the Committee then reads."""

import datetime

import pytest
from django.utils import timezone

from confidentiality.models import Audience, State
from contacts.models import ContactRole, Demarche, PointOfContact
from portal.accounts.models import Role
from portal.notifications.models import Notification
from tests.factories import (
    DemarcheFactory,
    OrganizationFactory,
    PointOfContactFactory,
    UserFactory,
    submission_with_grants,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def osce():
    osce = OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    OrganizationFactory(acronym="WCO", name="World Customs Organization")
    UserFactory(username="fatima", role=Role.FOCAL_POINT, organization=osce, first_name="Fatima")
    UserFactory(username="expert", role=Role.COMMITTEE)
    return osce


def test_a_focal_point_replaces_the_contact_from_the_forms_error(page, browser_sign_in, osce, console_errors):
    current = submission_with_grants(
        PointOfContactFactory,
        organization=osce,
        role=ContactRole.ASSISTANCE,
        person="Amina Diallo",
        since=datetime.date(2020, 1, 1),
        state=State.SUBMITTED,
        audience=Audience.ALL_IROS,
    )
    browser_sign_in(page, "fatima")

    # The focal point designates a new contact for a role that is designated already, and forgets the e-mail's @.
    page.goto("/contacts/new/?role=assistance")
    page.get_by_label("Person").fill("Ana Pérez")
    page.get_by_label("E-mail").fill("ana.example.org")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_load_state()

    # Both problems are named at once, and the way forward is offered.
    assert "already has an active contact for this role" in page.locator("#id_role").locator("..").inner_text()
    assert page.locator(".invalid-feedback", has_text="valid email").count() == 1
    offer = page.locator("#replace-offer")
    assert "“Amina Diallo” holds the role “Point of contact for assistance”" in offer.inner_text()
    page.get_by_label("E-mail").fill("ana@example.org")
    offer.get_by_role("button", name="Replace the current contact…").click()
    page.wait_for_url(f"**/contacts/{current.pk}/replace/")

    # The replacement page took the fields over and saved nothing yet.
    assert page.get_by_label("Person").input_value() == "Ana Pérez"
    assert page.get_by_label("E-mail").input_value() == "ana@example.org"
    assert page.get_by_label("The Committee only").is_checked()  # as chosen on the form
    page.get_by_label("The Committee and all IROs").check()
    assert PointOfContact.objects.count() == 1
    page.get_by_label("The current designation ends on").fill("2025-06-30")
    page.get_by_role("button", name="Replace the contact").click()
    page.wait_for_url("**/contacts/*/")

    successor = PointOfContact.objects.get(person="Ana Pérez")
    assert page.url.endswith(f"/contacts/{successor.pk}/")
    message = page.locator(".alert-success").inner_text()
    assert "“Ana Pérez” now holds OSCE's role “Point of contact for assistance”." in message
    assert "The designation of “Amina Diallo” ended on 30 June 2025" in message
    assert "Amina Diallo" in page.locator("#predecessors").inner_text()
    current.refresh_from_db()
    assert (current.until, successor.state, successor.since, successor.audience) == (
        datetime.date(2025, 6, 30),
        State.SUBMITTED,
        datetime.date(2025, 6, 30),
        Audience.ALL_IROS,
    )

    # Withdrawing the successor asks first, and says what it costs.
    page.get_by_role("link", name="Withdraw to draft…").click()
    page.wait_for_url(f"**/contacts/{successor.pk}/withdraw/")
    assert "Every member of every organization in the portal" in page.locator("#losing-access").inner_text()
    assert "Not designated" in page.locator("#withdraw-designation").inner_text()
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(f"**/contacts/{successor.pk}/")
    successor.refresh_from_db()
    assert successor.state == State.SUBMITTED
    assert console_errors == []


def test_a_member_organization_answers_a_demarche_and_the_committee_reads_it(
    page, new_page, browser_sign_in, osce, console_errors
):
    today = timezone.localdate()
    designate = DemarcheFactory(
        organization=osce,
        request=Demarche.Request.DESIGNATE_IMPLEMENTATION,
        details="Letter from the Chair asking for a point of contact for implementation.",
        sent_on=today - datetime.timedelta(days=40),
        follow_up_due=today + datetime.timedelta(days=20),
    )
    information = DemarcheFactory(
        organization=osce,
        request=Demarche.Request.INFORMATION,
        details="Please describe your border-control programs.",
        sent_on=today - datetime.timedelta(days=10),
    )

    # The focal point finds both on its dashboard's to-do list.
    browser_sign_in(page, "fatima")
    todo = page.locator("#todo-demarches")
    assert "Answer 2 demarches from the Committee" in todo.inner_text()

    # It replies to the request for information with a note.
    todo.get_by_role("link", name="Answer — Provide information on 1540-relevant programs").click()
    page.wait_for_url(f"**/contacts/demarches/{information.pk}/")
    page.get_by_label("Your reply").fill("Our three border-control programs are in the portal, shared with all IROs.")
    page.get_by_role("button", name="Send the reply").click()
    page.wait_for_url(f"**/contacts/demarches/{information.pk}/")
    assert "Your answer was recorded" in page.locator(".alert-success").inner_text()
    assert "OSCE replied:" in page.locator("#demarche-status").inner_text()

    # It answers the other by designating the contact asked for.
    page.goto(f"/contacts/demarches/{designate.pk}/")
    page.get_by_role("link", name="Designate a point of contact").click()
    page.wait_for_url("**/contacts/new/?role=implementation")
    page.get_by_label("Person").fill("Jan Novak")
    page.get_by_label("E-mail").fill("jan.novak@example.org")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_url("**/contacts/*/")
    assert "It answers the Committee's demarche asking for it." in page.locator(".alert-success").inner_text()
    page.goto("/")
    assert page.locator("#todo-demarches").count() == 0

    designate.refresh_from_db()
    information.refresh_from_db()
    assert designate.designation.person == "Jan Novak" and not designate.is_open
    assert information.reply.startswith("Our three border-control programs") and not information.is_open
    assert Notification.objects.filter(kind=Notification.Kind.DEMARCHE_ANSWERED).count() == 2

    # The Committee expert reads both answers in the demarche log and in the IGO chronology.
    expert = new_page()
    browser_sign_in(expert, "expert")
    expert.goto("/contacts/demarches/")
    log = expert.locator("#demarche-table").inner_text()
    assert "OSCE replied: Our three border-control programs" in log
    assert "Designated a point of contact: “Point of contact for implementation” — Jan Novak" in log
    expert.goto("/igo-tables/OSCE/")
    assert "OSCE replied:" in expert.content()
    assert "Jan Novak" in expert.content()
    assert console_errors == []
