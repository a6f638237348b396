"""Contact and demarche services: every change locks its row and re-checks the right on what it locked."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from confidentiality import policies
from confidentiality.models import Audience, State
from contacts.models import Demarche, PointOfContact
from contacts.services import contact_delete, contact_update, demarche_update
from portal.accounts.models import Role, User
from tests.factories import DemarcheFactory, UserFactory


@pytest.fixture
def contact(make_contact):
    return make_contact(state=State.DRAFT, audience=Audience.COMMITTEE, person="Jane Doe")


@pytest.fixture
def demarche(orgs):
    return DemarcheFactory(organization=orgs["owner"], outcome="")


CONTACT_WRITES = {
    "contact_update": lambda actor, contact: contact_update(actor=actor, contact=contact, person="Someone Else"),
    "contact_submit": lambda actor, contact: contact_update(actor=actor, contact=contact, state=State.SUBMITTED),
    "contact_delete": lambda actor, contact: contact_delete(actor=actor, contact=contact),
}


def _contact_row(contact: PointOfContact) -> tuple:
    return tuple(PointOfContact.objects.filter(pk=contact.pk).values_list("organization_id", "person", "state"))


@pytest.mark.parametrize("write", CONTACT_WRITES)
def test_a_contact_moved_to_another_organization_after_the_read_is_refused(write, orgs, people, contact):
    # given the focal point read its contact, which then passed to another organization
    assert policies.can_edit(people["owner_focal"], contact)
    PointOfContact.objects.filter(pk=contact.pk).update(organization=orgs["other"])
    before = _contact_row(contact)

    # when it writes with what it read
    with pytest.raises(PermissionDenied):
        CONTACT_WRITES[write](people["owner_focal"], contact)

    # then nothing changed
    assert _contact_row(contact) == before


@pytest.mark.parametrize("write", CONTACT_WRITES)
def test_a_focal_point_demoted_after_the_read_is_refused(write, people, contact):
    focal = people["owner_focal"]
    assert policies.can_edit(focal, contact)  # the role is read, and cached on the user object
    User.objects.filter(pk=focal.pk).update(role=Role.MEMBER)
    before = _contact_row(contact)

    with pytest.raises(PermissionDenied):
        CONTACT_WRITES[write](focal, contact)

    assert _contact_row(contact) == before


@pytest.mark.parametrize("write", CONTACT_WRITES)
def test_every_contact_write_locks_the_contact_row(write, people, contact):
    with CaptureQueriesContext(connection) as captured:
        CONTACT_WRITES[write](people["owner_focal"], contact)

    assert any('FOR UPDATE OF "contacts_pointofcontact"' in query["sql"] for query in captured)


def test_a_contact_deleted_meanwhile_answers_404(people, contact):
    PointOfContact.objects.filter(pk=contact.pk).delete()

    with pytest.raises(Http404):
        contact_update(actor=people["owner_focal"], contact=contact, person="Someone Else")


def test_an_expert_demoted_after_reading_a_demarche_cannot_change_it(people, demarche):
    # given an expert who read the demarche and then left the Committee
    expert = UserFactory(username="leaving-expert", role=Role.COMMITTEE)
    assert policies.can_edit(expert, demarche)
    User.objects.filter(pk=expert.pk).update(role=Role.MEMBER)

    # when the expert records the answer with what it read
    with pytest.raises(PermissionDenied):
        demarche_update(actor=expert, demarche=demarche, outcome="Designated")

    # then the demarche is unchanged
    assert Demarche.objects.get(pk=demarche.pk).outcome == ""


def test_a_demarche_update_locks_the_demarche_row(people, demarche):
    with CaptureQueriesContext(connection) as captured:
        demarche_update(actor=people["committee"], demarche=demarche, outcome="Designated")

    assert any('FOR UPDATE OF "contacts_demarche"' in query["sql"] for query in captured)
    assert Demarche.objects.get(pk=demarche.pk).outcome == "Designated"
