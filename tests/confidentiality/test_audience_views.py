"""The generic submission pages show what an audience change does (issue 11, problem 4): the preview lists who gains
and who loses access compared with what is saved, a save that takes the record away from anyone asks first on a
page naming them (nothing written before), withdraw and delete name them too, and the message says what changed.
Programs and points of contact share these pages; both are exercised."""

import pytest
from django.urls import reverse

from confidentiality.models import Audience, SharingAudit, State
from contacts.models import PointOfContact
from programs.models import Program
from tests.contacts.test_contact_pages import form_data as contact_data
from tests.factories import RegionFactory, ThematicAreaFactory
from tests.programs.test_views import form_data as program_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference():
    ThematicAreaFactory(code="chemical", name="Chemical weapons")
    ThematicAreaFactory(code="border-controls", name="Border controls", family="resolution")
    RegionFactory(code="002", name="Africa")


def edit_data(**overrides):
    """A submitted program's edit form, saved as it stays (the partner rows left empty)."""
    return program_data(
        **{"action": "save", "partners-0-organization": "", "partners-0-role": "", **overrides},
    )


def section(body: str, element_id: str) -> str:
    return body.split(f'id="{element_id}"')[1].split("</ul>")[0]


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def sharing_of(record):
    record.refresh_from_db()
    return record.state, record.audience, sorted(record.shared_with.values_list("acronym", flat=True))


# --- the preview ------------------------------------------------------------------------------------------------


def test_the_preview_of_a_submitted_program_lists_who_gains_and_who_loses_and_fits_its_state(
    sign_in, orgs, make_program, reference
):
    program = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    audits = SharingAudit.objects.count()

    response = sign_in("owner_focal").post(
        reverse("programs:edit", args=[program.pk]),
        edit_data(audience="selected", shared_with=["OTHER"], action="preview"),
    )

    body = response.content.decode()
    assert "Other Organization" in section(body, "preview-gains")
    losses = section(body, "preview-losses")
    assert "CHOSEN" in losses and "Chosen Organization" in losses and "OTHER" not in losses
    assert "Will lose access once you save" in body
    assert "Who will be able to see this once you save" in body
    assert "Until it is submitted" not in body  # it is submitted already
    assert sharing_of(program) == (State.SUBMITTED, Audience.SELECTED, ["CHOSEN"])
    assert SharingAudit.objects.count() == audits


def test_the_preview_of_a_public_program_narrowed_to_the_committee_says_every_iro_and_the_public_lose_it(
    sign_in, make_program, reference
):
    program = make_program(audience=Audience.PUBLIC)

    response = sign_in("owner_focal").post(
        reverse("programs:edit", args=[program.pk]), edit_data(audience="committee", action="preview")
    )

    losses = section(response.content.decode(), "preview-losses")
    assert "Every member of every organization in the portal" in losses
    assert "Everyone, including visitors who are not signed in" in losses
    assert 'id="preview-gains"' not in response.content.decode()


def test_the_preview_of_a_draft_compares_with_the_audience_saved_once_submitted(sign_in, orgs, make_contact):
    contact = make_contact(state=State.DRAFT, audience=Audience.ALL_IROS)

    response = sign_in("owner_focal").post(
        reverse("contacts:edit", args=[contact.pk]),
        contact_data(audience="selected", shared_with=["CHOSEN"], action="preview"),
    )

    body = response.content.decode()
    assert "once submitted it would no longer be visible to" in body
    losses = section(body, "preview-losses")
    assert "Every member of every organization in the portal" in losses and "(except CHOSEN, which keep it)" in losses
    assert "You will be asked to confirm" not in body  # nobody sees a draft: nobody loses anything now
    assert "Who will be able to see the details once submitted" in body


def test_the_preview_of_an_unchanged_audience_says_nobody_gains_or_loses(sign_in, make_program, reference):
    program = make_program(audience=Audience.COMMITTEE)

    response = sign_in("owner_focal").post(
        reverse("programs:edit", args=[program.pk]), edit_data(audience="committee", action="preview")
    )

    assert "Nobody gains or loses access compared with the audience saved." in response.content.decode()


# --- narrowing asks first -------------------------------------------------------------------------------------


def test_saving_a_narrower_audience_asks_first_naming_who_loses_access_and_writes_nothing(
    sign_in, orgs, make_program, reference
):
    program = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]], title="Old title")
    audits = SharingAudit.objects.count()

    response = sign_in("owner_focal").post(reverse("programs:edit", args=[program.pk]), edit_data(audience="committee"))

    assert response.status_code == 200
    assert response.templates[0].name == "submissions/confirm_narrowing.html"
    body = response.content.decode()
    losing = section(body, "losing-access")
    assert "CHOSEN" in losing and "Chosen Organization" in losing and "OTHER" not in losing
    # the same fields are carried over to be posted again, with what is being confirmed
    assert 'name="title" value="Strategic trade controls in West Africa"' in body
    assert f'name="confirmed_losses" value="{orgs["selected"].pk}"' in body
    assert 'name="action" value="save"' in body
    # nothing was written: neither the audience nor the other fields
    assert sharing_of(program) == (State.SUBMITTED, Audience.SELECTED, ["CHOSEN"])
    assert Program.objects.get(pk=program.pk).title == "Old title"
    assert SharingAudit.objects.count() == audits


def test_once_confirmed_the_narrower_audience_is_saved_and_the_message_says_who_no_longer_sees_it(
    sign_in, orgs, make_program, reference
):
    program = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])

    response = sign_in("owner_focal").post(
        reverse("programs:edit", args=[program.pk]),
        edit_data(audience="committee", confirmed_losses=str(orgs["selected"].pk)),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("programs:detail", args=[program.pk])
    assert sharing_of(program) == (State.SUBMITTED, Audience.COMMITTEE, [])
    (message,) = messages_of(response)
    assert "No longer visible to CHOSEN." in message


def test_a_confirmation_of_other_losses_does_not_count(sign_in, make_program, reference):
    # given: the person confirmed that only the public would lose it (public → all IROs) ...
    program = make_program(audience=Audience.PUBLIC)

    # ... but the form now takes it from every IRO too
    response = sign_in("owner_focal").post(
        reverse("programs:edit", args=[program.pk]), edit_data(audience="committee", confirmed_losses="public")
    )

    assert response.templates[0].name == "submissions/confirm_narrowing.html"
    assert sharing_of(program) == (State.SUBMITTED, Audience.PUBLIC, [])


def test_widening_saves_without_asking_and_says_who_now_also_sees_it(sign_in, orgs, make_program, reference):
    program = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])

    response = sign_in("owner_focal").post(
        reverse("programs:edit", args=[program.pk]),
        edit_data(audience="selected", shared_with=["CHOSEN", "OTHER"]),
        follow=True,
    )

    assert sharing_of(program) == (State.SUBMITTED, Audience.SELECTED, ["CHOSEN", "OTHER"])
    (message,) = messages_of(response)
    assert "Now also visible to OTHER." in message


def test_swapping_organizations_asks_then_says_both_sides(sign_in, orgs, make_contact):
    contact = make_contact(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    client = sign_in("owner_focal")
    data = contact_data(audience="selected", shared_with=["OTHER"], action="save")

    asked = client.post(reverse("contacts:edit", args=[contact.pk]), data)
    assert "Chosen Organization" in section(asked.content.decode(), "losing-access")
    assert "Other Organization" in section(asked.content.decode(), "gaining-access")
    assert sharing_of(contact) == (State.SUBMITTED, Audience.SELECTED, ["CHOSEN"])

    saved = client.post(
        reverse("contacts:edit", args=[contact.pk]),
        {**data, "confirmed_losses": str(orgs["selected"].pk)},
        follow=True,
    )
    assert sharing_of(contact) == (State.SUBMITTED, Audience.SELECTED, ["OTHER"])
    assert "Now also visible to OTHER; no longer visible to CHOSEN." in messages_of(saved)[0]


def test_back_to_the_form_shows_the_form_as_filled_in_with_the_preview(sign_in, make_contact):
    contact = make_contact(audience=Audience.PUBLIC)

    response = sign_in("owner_focal").post(
        reverse("contacts:edit", args=[contact.pk]),
        contact_data(audience="committee", action="preview", confirmed_losses="all_iros public", person="New Name"),
    )

    body = response.content.decode()
    assert response.templates[0].name == "contacts/contact_form.html"
    assert 'value="New Name"' in body
    assert "Every member of every organization in the portal" in section(body, "preview-losses")
    assert PointOfContact.objects.get(pk=contact.pk).audience == Audience.PUBLIC


def test_saving_a_draft_with_a_narrower_audience_asks_nothing(sign_in, make_contact):
    contact = make_contact(state=State.DRAFT, audience=Audience.PUBLIC)

    response = sign_in("owner_focal").post(
        reverse("contacts:edit", args=[contact.pk]), contact_data(audience="committee", action="draft")
    )

    assert response.status_code == 302
    assert sharing_of(contact) == (State.DRAFT, Audience.COMMITTEE, [])


def test_a_viewer_who_may_not_edit_never_reaches_the_confirmation(sign_in, orgs, make_program, reference):
    program = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])

    response = sign_in("selected_focal").post(
        reverse("programs:edit", args=[program.pk]), edit_data(audience="committee")
    )

    assert response.status_code == 403
    assert sharing_of(program) == (State.SUBMITTED, Audience.SELECTED, ["CHOSEN"])


# --- withdraw and delete name who loses access --------------------------------------------------------------------


def test_withdrawing_a_program_names_who_loses_access_first(sign_in, orgs, make_program):
    program = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])

    response = sign_in("owner_focal").get(reverse("programs:withdraw", args=[program.pk]))

    losing = section(response.content.decode(), "losing-access")
    assert "The 1540 Committee's experts" in losing and "Chosen Organization" in losing
    assert "OTHER" not in losing
    assert Program.objects.get(pk=program.pk).state == State.SUBMITTED


def test_the_delete_page_names_who_loses_access(sign_in, orgs, make_program):
    program = make_program(audience=Audience.ALL_IROS)

    response = sign_in("owner_focal").get(reverse("programs:delete", args=[program.pk]))

    body = response.content.decode()
    assert "these see" in body
    losing = section(body, "losing-access")
    assert "The 1540 Committee's experts" in losing
    assert "Every member of every organization in the portal" in losing
    assert Program.objects.filter(pk=program.pk).exists()


def test_the_delete_page_of_a_draft_names_nobody(sign_in, make_program):
    program = make_program(state=State.DRAFT, audience=Audience.PUBLIC)

    body = sign_in("owner_focal").get(reverse("programs:delete", args=[program.pk])).content.decode()

    assert 'id="losing-access"' not in body
