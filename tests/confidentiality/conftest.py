import pytest

from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from portal.accounts.models import Role
from tests.factories import OrganizationFactory, ProgramFactory, UserFactory


@pytest.fixture
def orgs(db):
    """An owner, a selected IRO and an unselected one."""
    return {
        "owner": OrganizationFactory(acronym="OWNER"),
        "selected": OrganizationFactory(acronym="CHOSEN"),
        "other": OrganizationFactory(acronym="OTHER"),
    }


@pytest.fixture
def people(orgs):
    inactive = UserFactory(username="inactive", role=Role.FOCAL_POINT, organization=orgs["owner"])
    inactive.is_active = False
    inactive.save()
    return {
        "owner_focal": UserFactory(username="owner-focal", role=Role.FOCAL_POINT, organization=orgs["owner"]),
        "owner_member": UserFactory(username="owner-member", role=Role.MEMBER, organization=orgs["owner"]),
        "selected_focal": UserFactory(username="sel-focal", role=Role.FOCAL_POINT, organization=orgs["selected"]),
        "selected_member": UserFactory(username="sel-member", role=Role.MEMBER, organization=orgs["selected"]),
        "other_focal": UserFactory(username="other-focal", role=Role.FOCAL_POINT, organization=orgs["other"]),
        "other_member": UserFactory(username="other-member", role=Role.MEMBER, organization=orgs["other"]),
        "committee": UserFactory(username="expert", role=Role.COMMITTEE),
        "admin": UserFactory(username="administrator", role=Role.ADMIN, is_staff=True, is_superuser=True),
        "inactive": inactive,
        "anonymous": None,
    }


@pytest.fixture
def make_program(orgs):
    def make(*, state=State.SUBMITTED, audience=Audience.COMMITTEE, shared_with=(), owner=None, **kwargs):
        program = ProgramFactory(organization=owner or orgs["owner"], state=state, audience=audience, **kwargs)
        if shared_with:
            program.shared_with.set(shared_with)
        grants_write(program)
        return program

    return make
