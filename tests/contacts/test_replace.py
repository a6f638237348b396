"""Replacing a point of contact in one step (issue 11, problem 3): the service, the page, the way forward from the
"already has an active contact" error (now shown with the other errors), and the API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from confidentiality.models import Audience, SharingAudit, State
from contacts import services
from contacts.models import ContactRole, PointOfContact, PointOfContactGrant
from contacts.selectors import designation_status
from tests.contacts.test_contact_pages import form_data
from tests.world import client_for

pytestmark = pytest.mark.django_db

ONE_ACTIVE = "This organization already has an active contact for this role."


@pytest.fixture
def current(make_contact, orgs):
    return make_contact(
        person="Amina Diallo",
        since=datetime.date(2020, 1, 1),
        audience=Audience.SELECTED,
        shared_with=[orgs["selected"]],
    )


def replace_data(**overrides) -> dict:
    data = {
        "until": "2025-06-30",
        "person": "Ana Pérez",
        "title": "Head of the 1540 unit",
        "email": "ana@example.org",
        "phone": "",
        "since": "",
        "audience": Audience.SELECTED,
        "shared_with": ["CHOSEN"],
        "action": "replace",
    }
    data.update(overrides)
    return data


def snapshot() -> tuple:
    return (
        list(PointOfContact.objects.order_by("pk").values_list("pk", "state", "until")),
        SharingAudit.objects.count(),
        PointOfContactGrant.objects.count(),
    )


# --- the service ----------------------------------------------------------------------------------------------


def test_replacing_ends_the_designation_and_designates_the_successor_in_one_step(current, people, orgs):
    successor = services.contact_replace(
        actor=people["owner_focal"], contact=current, until=datetime.date(2025, 6, 30), person="Ana Pérez"
    )

    current.refresh_from_db()
    assert current.until == datetime.date(2025, 6, 30)
    assert current.history.first().history_change_reason == services.REPLACED_REASON
    assert (successor.organization, successor.role, successor.state) == (
        orgs["owner"],
        ContactRole.ASSISTANCE,
        "submitted",
    )
    assert (successor.since, successor.until) == (datetime.date(2025, 6, 30), None)
    # the successor's details keep the predecessor's audience
    assert (successor.audience, list(successor.shared_with.all())) == (Audience.SELECTED, [orgs["selected"]])
    audit = SharingAudit.objects.get(record_type="contacts.pointofcontact", record_id=successor.pk)
    assert (audit.action, audit.actor, audit.new_state) == (
        SharingAudit.Action.SUBMIT,
        people["owner_focal"],
        "submitted",
    )
    status = designation_status(organizations=[orgs["owner"]])[0].for_role(ContactRole.ASSISTANCE)
    assert (status.designated, status.since) == (True, datetime.date(2025, 6, 30))


def test_a_successor_that_cannot_be_designated_leaves_the_current_designation_standing(current, people):
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        services.contact_replace(
            actor=people["owner_focal"], contact=current, until=datetime.date(2025, 6, 30), person="X", email="nope"
        )

    assert "email" in error.value.message_dict
    assert snapshot() == before


@pytest.mark.parametrize(
    ("until", "since", "field"),
    [
        (datetime.date(2019, 1, 1), None, "until"),  # before the current designation began
        (datetime.date(2025, 6, 30), datetime.date(2025, 6, 1), "since"),  # successor before the end
    ],
)
def test_replacement_dates_are_checked(current, people, until, since, field):
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        services.contact_replace(actor=people["owner_focal"], contact=current, until=until, since=since, person="X")

    assert field in error.value.message_dict
    assert snapshot() == before


def test_only_a_standing_designation_is_replaced(make_contact, people):
    ended = make_contact(until=datetime.date(2020, 1, 1))
    draft = make_contact(state=State.DRAFT)

    for contact in (ended, draft):
        with pytest.raises(ValidationError):
            services.contact_replace(
                actor=people["owner_focal"], contact=contact, until=datetime.date.today(), person="X"
            )


@pytest.mark.parametrize("persona", ["owner_member", "selected_focal", "committee"])
def test_only_a_focal_point_of_the_organization_replaces_its_contact(current, people, persona):
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.contact_replace(actor=people[persona], contact=current, until=datetime.date(2025, 6, 30), person="X")

    assert snapshot() == before


def test_a_draft_may_be_the_successor(current, make_contact, people):
    draft = make_contact(state=State.DRAFT, person="Draft Person", email="draft@example.org")

    successor = services.contact_replace(
        actor=people["owner_focal"], contact=current, until=datetime.date(2025, 6, 30), successor=draft, person="Ana"
    )

    assert successor.pk == draft.pk
    assert (successor.person, successor.state, successor.until) == ("Ana", State.SUBMITTED, None)
    assert PointOfContact.objects.count() == 2


# --- the one-active error comes with the others, and offers the way forward --------------------------------------


def test_the_one_active_error_shows_with_the_other_errors_and_offers_to_replace(sign_in, current):
    response = sign_in("owner_focal").post(
        reverse("contacts:create"), form_data(action="submit", person="", email="not-an-email")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"person", "email", "role"}
    assert form.errors["role"] == [ONE_ACTIVE]
    body = response.content.decode()
    offer = body.split('id="replace-offer"')[1].split("</div>")[0]
    assert "“Amina Diallo” holds the role “Point of contact for assistance”" in offer
    assert f'formaction="{reverse("contacts:replace", args=[current.pk])}"' in offer
    assert 'name="action" value="prefill"' in offer
    assert PointOfContact.objects.count() == 1


def test_a_draft_or_an_ended_contact_does_not_trip_the_rule(sign_in, current):
    client = sign_in("owner_focal")

    draft = client.post(reverse("contacts:create"), form_data(action="draft", person="Second"))
    ended = client.post(
        reverse("contacts:create"), form_data(action="submit", person="Past", until="2021-01-01", since="2020-01-01")
    )

    assert draft.status_code == ended.status_code == 302


def test_the_offer_from_a_drafts_form_makes_that_draft_the_successor(sign_in, current, make_contact):
    draft = make_contact(state=State.DRAFT, person="Draft Person")

    response = sign_in("owner_focal").post(
        reverse("contacts:edit", args=[draft.pk]), form_data(action="submit", person="Draft Person")
    )

    assert response.context["form"].errors["role"] == [ONE_ACTIVE]
    assert f"{reverse('contacts:replace', args=[current.pk])}?successor={draft.pk}" in response.content.decode()


def test_an_administrator_creating_for_the_organization_is_offered_the_replacement_too(sign_in, current):
    response = sign_in("admin").post(reverse("contacts:create"), form_data(organization="OWNER", action="submit"))

    assert response.context["form"].errors["role"] == [ONE_ACTIVE]
    assert 'id="replace-offer"' in response.content.decode()


# --- the page -----------------------------------------------------------------------------------------------------


def test_the_contact_page_offers_to_replace_a_standing_contact(sign_in, current, make_contact):
    ended = make_contact(until=datetime.date(2019, 12, 31))
    client = sign_in("owner_focal")

    assert reverse("contacts:replace", args=[current.pk]) in client.get(current.get_absolute_url()).content.decode()
    assert reverse("contacts:replace", args=[ended.pk]) not in client.get(ended.get_absolute_url()).content.decode()
    member = sign_in("owner_member").get(current.get_absolute_url()).content.decode()
    assert reverse("contacts:replace", args=[current.pk]) not in member


def test_the_replace_page_starts_from_the_current_audience(sign_in, current):
    response = sign_in("owner_focal").get(reverse("contacts:replace", args=[current.pk]))

    assert response.status_code == 200
    form = response.context["form"]
    assert "role" not in form.fields and "organization" not in form.fields
    assert form["audience"].value() == Audience.SELECTED
    assert form["shared_with"].value() == ["CHOSEN"]
    assert "Amina Diallo" in response.content.decode()


def test_replacing_through_the_page(sign_in, current):
    response = sign_in("owner_focal").post(reverse("contacts:replace", args=[current.pk]), replace_data(), follow=True)

    successor = PointOfContact.objects.get(person="Ana Pérez")
    assert response.redirect_chain[-1][0] == successor.get_absolute_url()
    (message,) = [str(m) for m in response.context["messages"]]
    assert "“Ana Pérez” now holds OWNER's role “Point of contact for assistance”." in message
    assert "The designation of “Amina Diallo” ended on 30 June 2025" in message
    current.refresh_from_db()
    assert current.until == datetime.date(2025, 6, 30)
    # the new contact's page lists its predecessor
    assert "Amina Diallo" in response.content.decode().split('id="predecessors"')[1]


def test_a_replacement_with_errors_writes_nothing(sign_in, current):
    before = snapshot()

    response = sign_in("owner_focal").post(
        reverse("contacts:replace", args=[current.pk]), replace_data(person="", until="2019-01-01")
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"person", "until"}
    assert snapshot() == before


def test_the_form_error_carries_its_fields_over_to_the_replace_page(sign_in, current):
    before = snapshot()

    response = sign_in("owner_focal").post(
        reverse("contacts:replace", args=[current.pk]),
        form_data(action="prefill", person="Ana Pérez", email="ana@example.org", since="2025-07-01", audience="public"),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound  # nothing judged, nothing saved yet
    assert (form["person"].value(), form["email"].value(), form["since"].value()) == (
        "Ana Pérez",
        "ana@example.org",
        "2025-07-01",
    )
    assert form["audience"].value() == "public"
    assert snapshot() == before


def test_an_ended_contact_cannot_be_replaced(sign_in, make_contact):
    ended = make_contact(until=datetime.date(2020, 1, 1))

    response = sign_in("owner_focal").get(reverse("contacts:replace", args=[ended.pk]))

    assert response.status_code == 302
    assert response["Location"] == ended.get_absolute_url()


@pytest.mark.parametrize(("persona", "status"), [("owner_member", 403), ("committee", 403), ("other_member", 404)])
def test_who_may_not_replace_gets_403_or_404_and_nothing_changes(sign_in, current, persona, status):
    before = snapshot()
    client = sign_in(persona)

    assert client.get(reverse("contacts:replace", args=[current.pk])).status_code == status
    assert client.post(reverse("contacts:replace", args=[current.pk]), replace_data()).status_code == status
    assert snapshot() == before


def test_signed_out_visitors_are_sent_to_sign_in(client, current):
    response = client.get(reverse("contacts:replace", args=[current.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- the API --------------------------------------------------------------------------------------------------------


def test_the_api_replaces_in_one_step(people, current):
    url = reverse("api:contacts-replace", args=[current.pk])

    response = client_for(people, "owner_focal").post(
        url, {"until": "2025-06-30", "person": "Ana Pérez"}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["person"], body["state"], body["since"], body["until"]) == (
        "Ana Pérez",
        "submitted",
        "2025-06-30",
        None,
    )
    assert (body["audience"], body["shared_with"]) == ("selected", ["CHOSEN"])
    current.refresh_from_db()
    assert current.until == datetime.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("persona", "payload", "status"),
    [
        ("owner_member", {"until": "2025-06-30", "person": "X"}, 403),
        ("committee", {"until": "2025-06-30", "person": "X"}, 403),
        ("other_member", {"until": "2025-06-30", "person": "X"}, 404),
        ("owner_focal", {"person": "X"}, 400),
        ("owner_focal", {"until": "2025-06-30", "person": "X", "since": "2025-01-01"}, 400),
        ("owner_focal", {"until": "2025-06-30", "person": "X", "audience": "selected"}, 400),
    ],
)
def test_the_api_refuses_and_writes_nothing(people, current, persona, payload, status):
    before = snapshot()

    response = client_for(people, persona).post(
        reverse("api:contacts-replace", args=[current.pk]), payload, format="json"
    )

    assert response.status_code == status, response.content
    assert snapshot() == before


def test_the_api_answers_400_for_a_second_standing_contact_on_the_role_field(people, current):
    response = client_for(people, "owner_focal").post(
        reverse("api:contacts-list"), {"role": "assistance", "person": "Second", "state": "submitted"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"role": [ONE_ACTIVE]}
