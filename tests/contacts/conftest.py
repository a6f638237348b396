"""Personas and record builders for the contacts, demarche and organization-profile page tests.

Three organizations: the owner of the records, one it selects to share with, and one it does not.
"""

import pytest

from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from portal.accounts.models import Role
from tests.factories import OrganizationFactory, PointOfContactFactory, ProgramFactory, UserFactory

# Every persona the pages are checked for.
PAGE_PERSONAS = (
    "anonymous",
    "owner_focal",
    "owner_member",
    "selected_member",
    "other_member",
    "committee",
    "admin",
)
CANARY = "CANARY-b41e77"

# (state, audience) of a submission, and whether each persona may see it.
SUBMISSION_CASES = [
    (State.DRAFT, Audience.PUBLIC),
    (State.SUBMITTED, Audience.COMMITTEE),
    (State.SUBMITTED, Audience.SELECTED),
    (State.SUBMITTED, Audience.ALL_IROS),
    (State.SUBMITTED, Audience.PUBLIC),
]


def may_see_submission(persona: str, state: str, audience: str) -> bool:
    if persona in ("owner_focal", "owner_member", "admin"):
        return True
    if state == State.DRAFT:
        return False
    if persona == "committee" or audience == Audience.PUBLIC:
        return True
    if audience == Audience.ALL_IROS:
        return persona != "anonymous"
    return audience == Audience.SELECTED and persona == "selected_member"


@pytest.fixture
def orgs(db):
    return {
        "owner": OrganizationFactory(acronym="OWNER", name="Owner Organization"),
        "selected": OrganizationFactory(acronym="CHOSEN", name="Chosen Organization"),
        "other": OrganizationFactory(acronym="OTHER", name="Other Organization"),
    }


@pytest.fixture
def people(orgs):
    return {
        "anonymous": None,
        "owner_focal": UserFactory(username="owner-focal", role=Role.FOCAL_POINT, organization=orgs["owner"]),
        "owner_member": UserFactory(username="owner-member", role=Role.MEMBER, organization=orgs["owner"]),
        "selected_member": UserFactory(username="sel-member", role=Role.MEMBER, organization=orgs["selected"]),
        "other_focal": UserFactory(username="other-focal", role=Role.FOCAL_POINT, organization=orgs["other"]),
        "other_member": UserFactory(username="other-member", role=Role.MEMBER, organization=orgs["other"]),
        "committee": UserFactory(username="expert", role=Role.COMMITTEE),
        "admin": UserFactory(username="administrator", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }


@pytest.fixture
def sign_in(client, people):
    def as_persona(persona):
        client.logout()
        if people[persona] is not None:
            client.force_login(people[persona])
        return client

    return as_persona


def _shared(record, shared_with, audience):
    if audience == Audience.SELECTED:
        record.shared_with.set(shared_with)
    grants_write(record)
    return record


@pytest.fixture
def make_contact(orgs):
    """A point of contact with its grants; `selected` shares with CHOSEN unless `shared_with` says otherwise."""

    def make(*, state=State.SUBMITTED, audience=Audience.COMMITTEE, shared_with=None, owner=None, **kwargs):
        contact = PointOfContactFactory(organization=owner or orgs["owner"], state=state, audience=audience, **kwargs)
        return _shared(contact, shared_with or [orgs["selected"]], audience)

    return make


@pytest.fixture
def make_program(orgs):
    def make(*, state=State.SUBMITTED, audience=Audience.COMMITTEE, shared_with=None, owner=None, **kwargs):
        program = ProgramFactory(organization=owner or orgs["owner"], state=state, audience=audience, **kwargs)
        return _shared(program, shared_with or [orgs["selected"]], audience)

    return make
