"""Points of contact from a spreadsheet: the contact form's rules (one standing contact per role, the audience of
the details, the grants), a focal point for its own organization only, administrators for any."""

from __future__ import annotations

from datetime import date

import pytest

from confidentiality import index
from confidentiality.models import Audience, SharingAudit, State
from confidentiality.services import grants_mismatches
from contacts import services
from contacts.models import PointOfContact
from portal.notifications.models import Notification
from tests.factories import api_client_for
from tests.imports.files import counts, csv_file, post_import

pytestmark = pytest.mark.django_db

SLUG = "contacts"


@pytest.fixture
def focal(people):
    return api_client_for(people["owner_focal"])


def contact_row(**cells) -> dict:
    return {"Role": "assistance", "Person": "Jane Doe", **cells}


def test_an_import_writes_a_contact_through_the_service_with_its_audience_audit_and_outbox(focal, orgs):
    row = contact_row(
        Key="C-1",
        **{
            "Title or function": "Senior adviser",
            "E-mail": "jane@example.org",
            "Phone": "+43 1 000 0000",
            "Designated since": "2011-06",
            "State": "submitted",
            "Audience": "selected",
            "Shared with": "CHOSEN",
        },
    )

    response = post_import(focal, SLUG, csv_file([row]), dry_run=False)

    assert response.status_code == 200, response.json()
    contact = PointOfContact.objects.get()
    assert (contact.organization, contact.external_key, contact.role) == (orgs["owner"], "C-1", "assistance")
    assert (contact.person, contact.title, contact.email) == ("Jane Doe", "Senior adviser", "jane@example.org")
    assert (contact.since, contact.until) == (date(2011, 6, 1), None)
    assert (contact.state, contact.audience) == (State.SUBMITTED, Audience.SELECTED)
    assert list(contact.shared_with.all()) == [orgs["selected"]]
    assert SharingAudit.objects.filter(record_id=contact.pk, action=SharingAudit.Action.SUBMIT).exists()
    assert Notification.objects.exists()
    assert grants_mismatches(PointOfContact) == []


def test_every_audience_set_by_import_gives_the_grants_of_the_form(focal, people, orgs):
    settings_by_person = {
        "draft": {"State": "draft"},
        "committee": {"State": "submitted", "Audience": "committee", "Designated until": "2010"},
        "selected": {"State": "submitted", "Audience": "selected", "Shared with": "CHOSEN; OTHER"},
        "all": {"State": "submitted", "Audience": "The Committee and all IROs", "Role": "implementation"},
        "public": {"State": "submitted", "Audience": "public", "Designated until": "2011"},
    }
    rows = [contact_row(Person=person, **cells) for person, cells in settings_by_person.items()]

    response = post_import(focal, SLUG, csv_file(rows), dry_run=False)

    assert response.status_code == 200, response.json()
    assert grants_mismatches(PointOfContact) == []  # `manage.py check_grants` finds nothing
    for person in settings_by_person:
        imported = PointOfContact.objects.get(person=person)
        typed = services.contact_create(
            actor=people["owner_focal"],
            organization=orgs["owner"],
            role=imported.role,
            person=f"typed {person}",
            until=date(2009, 1, 1),  # ended: the one-standing-contact rule does not stand in the way
            state=imported.state,
            audience=imported.audience,
            shared_with=list(imported.shared_with.all()),
        )
        assert index.view_group_ids(imported) == index.view_group_ids(typed), person


def test_one_standing_contact_per_role_is_the_forms_rule(focal, make_contact):
    make_contact(role="assistance", person="Standing", external_key="OLD")
    rows = [contact_row(Person="Newcomer", Key="NEW", State="submitted")]

    response = post_import(focal, SLUG, csv_file(rows), dry_run=False)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (2, "Role")
    assert "already has an active contact for this role" in error["message"]
    assert PointOfContact.objects.count() == 1


def test_ending_the_old_designation_above_the_new_one_replaces_it(focal, make_contact):
    old = make_contact(role="assistance", person="Standing", external_key="OLD", since=date(2011, 1, 1))
    rows = [
        contact_row(Person="Standing", Key="OLD", State="submitted", **{"Designated until": "2024-01-31"}),
        contact_row(Person="Newcomer", Key="NEW", State="submitted", **{"Designated since": "2024-02-01"}),
    ]

    response = post_import(focal, SLUG, csv_file(rows), dry_run=False)

    assert response.status_code == 200, response.json()
    assert counts(response) == (1, 1, 0)
    old.refresh_from_db()
    assert old.until == date(2024, 1, 31)
    assert PointOfContact.objects.get(until__isnull=True).person == "Newcomer"


def test_a_focal_point_cannot_import_for_another_organization(focal, orgs):
    response = post_import(focal, SLUG, csv_file([contact_row(Organization="OTHER")]), dry_run=False)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (2, "Organization")
    assert not PointOfContact.objects.exists()


def test_a_focal_point_cannot_update_another_organizations_contact_by_id_or_key(focal, orgs, make_contact):
    visible = make_contact(owner=orgs["other"], audience=Audience.PUBLIC, person="Theirs", external_key="T-1")
    hidden = make_contact(owner=orgs["other"], audience=Audience.COMMITTEE, person="Hidden", role="implementation")
    rows = [
        contact_row(ID=str(visible.pk), Person="Taken over"),
        contact_row(ID=str(hidden.pk), Person="Taken over"),
        contact_row(ID="999999", Person="Missing"),
        contact_row(Organization="OTHER", Key="T-1", Person="Taken over"),
    ]

    response = post_import(focal, SLUG, csv_file(rows), dry_run=False)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0] == {"row": 2, "column": "ID", "message": "You may not change this contact."}
    # A hidden contact reads exactly like a missing one.
    assert errors[1] == {"row": 3, "column": "ID", "message": f"Unknown point of contact ID {hidden.pk}."}
    assert errors[2]["message"] == "Unknown point of contact ID 999999."
    assert errors[3] == {"row": 5, "column": "Key", "message": "You may not change this contact."}
    assert set(PointOfContact.objects.values_list("person", flat=True)) == {"Theirs", "Hidden"}


def test_the_same_key_in_another_organization_is_another_contact(focal, orgs, make_contact):
    make_contact(owner=orgs["other"], audience=Audience.PUBLIC, person="Theirs", external_key="K-1")

    response = post_import(focal, SLUG, csv_file([contact_row(Key="K-1", Person="Mine")]), dry_run=False)

    assert counts(response) == (1, 0, 0)
    assert PointOfContact.objects.get(external_key="K-1", organization=orgs["owner"]).person == "Mine"


def test_a_row_with_an_id_or_a_key_updates_that_contact(focal, make_contact):
    by_id = make_contact(person="Old name", role="assistance")
    by_key = make_contact(person="Keyed", role="implementation", external_key="K-1")
    rows = [
        contact_row(ID=str(by_id.pk), Person="New name"),
        contact_row(Key="K-1", Role="implementation", Person="Keyed", Phone="+1 555"),
    ]

    response = post_import(focal, SLUG, csv_file(rows), dry_run=False)

    assert counts(response) == (0, 2, 0)
    by_id.refresh_from_db()
    by_key.refresh_from_db()
    assert by_id.person == "New name" and by_key.phone == "+1 555"


def test_an_administrator_imports_for_any_organization(people, orgs):
    admin = api_client_for(people["admin"])
    rows = [contact_row(Organization="OTHER", Person="Theirs"), contact_row(Person="Default organization")]

    response = post_import(admin, SLUG, csv_file(rows), dry_run=False, organization="CHOSEN")

    assert counts(response) == (2, 0, 0)
    assert dict(PointOfContact.objects.values_list("person", "organization__acronym")) == {
        "Theirs": "OTHER",
        "Default organization": "CHOSEN",
    }


def test_unreadable_cells_are_reported_by_row_and_column(focal, orgs):
    rows = [
        contact_row(Role="chief", **{"E-mail": "not an address", "Designated since": "June 2011", "Audience": "x"}),
        contact_row(Person="Backwards", **{"Designated since": "2024-05-01", "Designated until": "2024-04"}),
    ]

    response = post_import(focal, SLUG, csv_file(rows), dry_run=True)

    columns = {(error["row"], error["column"]) for error in response.json()["errors"]}
    assert columns == {(2, "Role"), (2, "Designated since"), (2, "Audience"), (3, "Designated until")}
    # the e-mail is judged by the model once the row's cells are read
    rows[0] = contact_row(**{"E-mail": "not an address"})
    response = post_import(focal, SLUG, csv_file(rows[:1]), dry_run=True)
    assert [(error["row"], error["column"]) for error in response.json()["errors"]] == [(2, "E-mail")]
