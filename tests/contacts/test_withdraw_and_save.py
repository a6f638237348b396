"""Withdrawing a point of contact to draft is its own action that asks first and names the consequences; saving
says what changed (issue 11, problems 2 and 10)."""

import datetime

import pytest
from django.urls import reverse

from confidentiality.models import Audience, SharingAudit, State
from contacts.models import ContactRole, PointOfContact
from contacts.selectors import designation_status
from tests.contacts.test_contact_pages import form_data

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- withdrawing asks first -----------------------------------------------------------------------------------


def test_the_edit_form_of_a_submitted_contact_has_no_withdraw_button_but_a_link_to_the_separate_action(
    sign_in, make_contact
):
    contact = make_contact(audience=Audience.ALL_IROS)

    body = sign_in("owner_focal").get(reverse("contacts:edit", args=[contact.pk])).content.decode()

    assert "Save and withdraw to draft" not in body
    assert 'value="draft"' not in body
    assert 'id="save-changes"' in body
    assert f'href="{reverse("contacts:withdraw", args=[contact.pk])}" id="withdraw-link"' in body


def test_the_withdraw_page_names_who_loses_access_and_the_designation_and_changes_nothing(sign_in, make_contact, orgs):
    contact = make_contact(audience=Audience.SELECTED, shared_with=[orgs["selected"]], person="Amina Diallo")
    audits = SharingAudit.objects.count()

    response = sign_in("owner_focal").get(reverse("contacts:withdraw", args=[contact.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Withdraw this point of contact to draft?" in body
    losing = body.split('id="losing-access"')[1].split("</ul>")[0]
    assert "The 1540 Committee's experts" in losing
    assert "CHOSEN" in losing and "Chosen Organization" in losing
    assert "OTHER" not in losing
    assert "OWNER's role “Point of contact for assistance” will show as <strong>Not designated</strong>" in body
    assert reverse("contacts:replace", args=[contact.pk]) in body  # the other way: hand it over
    contact.refresh_from_db()
    assert contact.state == State.SUBMITTED
    assert SharingAudit.objects.count() == audits


def test_withdrawing_after_confirming_says_the_role_is_no_longer_designated(sign_in, make_contact, orgs):
    contact = make_contact(audience=Audience.PUBLIC, person="Amina Diallo")

    response = sign_in("owner_focal").post(reverse("contacts:withdraw", args=[contact.pk]), follow=True)

    contact.refresh_from_db()
    assert contact.state == State.DRAFT
    assert not designation_status(organizations=[orgs["owner"]])[0].for_role(ContactRole.ASSISTANCE).designated
    (message,) = messages_of(response)
    assert "“Amina Diallo” was withdrawn to draft: only your organization and administrators see it now." in message
    assert "OWNER's role “Point of contact for assistance” now shows as Not designated." in message


def test_withdrawing_an_ended_designation_changes_no_designation(sign_in, make_contact):
    contact = make_contact(audience=Audience.PUBLIC, until=datetime.date(2020, 1, 1), since=datetime.date(2019, 1, 1))
    client = sign_in("owner_focal")

    assert (
        "Its designation has ended already"
        in client.get(reverse("contacts:withdraw", args=[contact.pk])).content.decode()
    )
    (message,) = messages_of(client.post(reverse("contacts:withdraw", args=[contact.pk]), follow=True))
    assert "Not designated" not in message


def test_withdrawing_a_draft_changes_nothing(sign_in, make_contact):
    draft = make_contact(state=State.DRAFT)
    client = sign_in("owner_focal")

    for method in (client.get, client.post):
        response = method(reverse("contacts:withdraw", args=[draft.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("contacts:detail", args=[draft.pk])
    assert not SharingAudit.objects.exists()


@pytest.mark.parametrize("persona", ["owner_member", "selected_member", "committee"])
def test_only_the_focal_point_may_open_the_withdraw_page(sign_in, make_contact, persona):
    contact = make_contact(audience=Audience.ALL_IROS)

    client = sign_in(persona)

    assert client.get(reverse("contacts:withdraw", args=[contact.pk])).status_code == 403
    assert client.post(reverse("contacts:withdraw", args=[contact.pk])).status_code == 403
    contact.refresh_from_db()
    assert contact.state == State.SUBMITTED


def test_the_detail_page_links_to_the_withdraw_page_instead_of_posting(sign_in, make_contact):
    contact = make_contact(audience=Audience.ALL_IROS)

    body = sign_in("owner_focal").get(reverse("contacts:detail", args=[contact.pk])).content.decode()

    assert f'<a class="btn btn-outline-secondary" href="{reverse("contacts:withdraw", args=[contact.pk])}"' in body
    assert f'action="{reverse("contacts:withdraw", args=[contact.pk])}"' not in body


def test_a_program_is_withdrawn_the_same_way(sign_in, make_program, orgs):
    program = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    client = sign_in("owner_focal")

    body = client.get(reverse("programs:withdraw", args=[program.pk])).content.decode()
    assert "Withdraw this program to draft?" in body
    assert "Chosen Organization" in body.split('id="losing-access"')[1].split("</ul>")[0]

    client.post(reverse("programs:withdraw", args=[program.pk]))
    program.refresh_from_db()
    assert program.state == State.DRAFT


# --- saving says what changed -----------------------------------------------------------------------------------


def test_saving_names_the_fields_and_the_audience_that_changed(sign_in, make_contact, orgs):
    contact = make_contact(
        audience=Audience.COMMITTEE, person="Amina Diallo", email="old@example.org", phone="", title="Head"
    )

    response = sign_in("owner_focal").post(
        reverse("contacts:edit", args=[contact.pk]),
        form_data(
            person="Amina Diallo",
            title="Head",
            email="new@example.org",
            phone="+41 1",
            since="",
            action="save",
            audience=Audience.SELECTED,
            shared_with=["CHOSEN"],
        ),
        follow=True,
    )

    (message,) = messages_of(response)
    assert message.startswith("The point of contact “Amina Diallo” was saved.")
    assert "Changed: e-mail, phone." in message
    assert "Audience: The Committee only → The Committee and selected IROs (CHOSEN)." in message
    contact.refresh_from_db()
    assert contact.state == State.SUBMITTED  # "Save changes" keeps it submitted


def test_saving_without_a_change_says_so(sign_in, make_contact):
    contact = make_contact(person="Amina Diallo", title="", email="a@example.org", phone="")

    response = sign_in("owner_focal").post(
        reverse("contacts:edit", args=[contact.pk]),
        form_data(person="Amina Diallo", title="", email="a@example.org", phone="", since="", action="save"),
        follow=True,
    )

    assert messages_of(response) == ["The point of contact “Amina Diallo” was saved; nothing in it had changed."]


def test_ending_the_designation_in_the_form_says_the_role_is_no_longer_designated(sign_in, make_contact):
    contact = make_contact(person="Amina Diallo", title="", email="", since=datetime.date(2020, 1, 1))

    response = sign_in("owner_focal").post(
        reverse("contacts:edit", args=[contact.pk]),
        form_data(
            person="Amina Diallo", title="", email="", phone="", since="2020-01-01", until="2024-12-31", action="save"
        ),
        follow=True,
    )

    (message,) = messages_of(response)
    assert "Changed: until." in message
    assert "OWNER's role “Point of contact for assistance” now shows as Not designated." in message


def test_submitting_a_draft_says_the_role_is_now_designated(sign_in, make_contact):
    draft = make_contact(state=State.DRAFT, person="Amina Diallo")

    response = sign_in("owner_focal").post(
        reverse("contacts:edit", args=[draft.pk]), form_data(person="Amina Diallo", action="submit"), follow=True
    )

    assert "OWNER's role “Point of contact for assistance” is now designated." in messages_of(response)[0]
    assert PointOfContact.objects.get(pk=draft.pk).state == State.SUBMITTED


# --- "End designation" reads in every language ------------------------------------------------------------------


def test_the_end_designation_page_quotes_the_role_as_it_is(sign_in, make_contact):
    contact = make_contact(person="Amina Diallo", role=ContactRole.IMPLEMENTATION)

    body = sign_in("owner_focal").get(reverse("contacts:end", args=[contact.pk])).content.decode()

    consequences = body.split('id="end-consequences">')[1].split("</p>")[0]
    assert (
        "<strong>Amina Diallo</strong> will no longer hold the role “Point of contact for implementation” for OWNER"
        in (consequences)
    )
    assert "the ." not in consequences
    assert reverse("contacts:replace", args=[contact.pk]) in body


def test_ending_a_designation_says_the_role_is_no_longer_designated(sign_in, make_contact):
    contact = make_contact(person="Amina Diallo", since=datetime.date(2020, 1, 1))

    response = sign_in("owner_focal").post(
        reverse("contacts:end", args=[contact.pk]), {"until": "2025-01-31"}, follow=True
    )

    assert messages_of(response) == [
        "The designation of “Amina Diallo” was ended. OWNER's role “Point of contact for assistance” now shows as "
        "Not designated."
    ]
