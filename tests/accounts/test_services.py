import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from confidentiality.policies import viewer_for
from iros.models import Membership
from portal.accounts.models import Role, User
from portal.accounts.services import user_create, user_deactivate, user_set_role
from tests.factories import OrganizationFactory, UserFactory, api_token_for

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unusual-passphrase-1540"


@pytest.fixture
def admin_user():
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


def counts() -> tuple[int, int]:
    return User.objects.count(), Membership.objects.count()


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.MEMBER])
def test_user_create_for_an_organization_role_creates_the_membership(role):
    organization = OrganizationFactory(acronym="OSCE")

    user = user_create(username="anna", role=role, organization=organization, email="anna@example.org")

    user.refresh_from_db()
    assert user.role == role
    assert user.membership.organization == organization
    assert not user.is_staff
    assert not user.is_superuser
    assert user.email == "anna@example.org"


def test_user_create_committee_is_neither_staff_nor_superuser():
    user = user_create(username="expert", role=Role.COMMITTEE, password=PASSWORD)

    assert user.role == Role.COMMITTEE
    assert not user.is_staff
    assert not user.is_superuser
    assert not Membership.objects.filter(user=user).exists()
    assert user.check_password(PASSWORD)


def test_user_create_admin_can_use_the_django_admin():
    user = user_create(username="root", role=Role.ADMIN, password=PASSWORD)

    assert user.is_staff
    assert user.is_superuser
    assert viewer_for(user).is_admin


def test_user_create_without_password_cannot_sign_in_until_reset():
    user = user_create(username="later", role=Role.COMMITTEE)

    assert not user.has_usable_password()


@pytest.mark.parametrize(
    ("kwargs", "error_field"),
    [
        ({"role": Role.FOCAL_POINT}, "organization"),
        ({"role": Role.MEMBER}, "organization"),
        ({"role": Role.COMMITTEE, "with_org": True}, "organization"),
        ({"role": Role.ADMIN, "with_org": True}, "organization"),
        ({"role": "superhero"}, "role"),
        ({"role": Role.COMMITTEE, "email": "not-an-address"}, "email"),
        ({"role": Role.COMMITTEE, "username": "has spaces!"}, "username"),
        ({"role": Role.COMMITTEE, "password": "123"}, "password"),
    ],
)
def test_user_create_refuses_invalid_input_and_writes_nothing(kwargs, error_field):
    organization = OrganizationFactory()
    kwargs = dict(kwargs)
    if kwargs.pop("with_org", False):
        kwargs["organization"] = organization
    kwargs.setdefault("username", "someone")
    before = counts()

    with pytest.raises(ValidationError) as raised:
        user_create(**kwargs)

    assert error_field in raised.value.message_dict
    assert counts() == before


def test_user_create_refuses_an_existing_username():
    UserFactory(username="taken")
    before = counts()

    with pytest.raises(ValidationError) as raised:
        user_create(username="taken", role=Role.COMMITTEE)

    assert "username" in raised.value.message_dict
    assert counts() == before


def test_user_create_is_atomic_when_the_membership_fails(monkeypatch):
    organization = OrganizationFactory()
    before = counts()

    def explode(self, *args, **kwargs):
        raise ValidationError("boom")

    monkeypatch.setattr(Membership, "full_clean", explode)
    with pytest.raises(ValidationError):
        user_create(username="half", role=Role.MEMBER, organization=organization)

    assert counts() == before


def test_user_set_role_moves_a_member_to_committee_and_drops_the_membership(admin_user):
    organization = OrganizationFactory()
    user = UserFactory(role=Role.MEMBER, organization=organization)

    user_set_role(actor=admin_user, user=user, role=Role.COMMITTEE)

    user.refresh_from_db()
    assert user.role == Role.COMMITTEE
    assert not Membership.objects.filter(user=user).exists()
    assert not user.is_staff
    assert not user.is_superuser


def test_user_set_role_demoting_an_admin_removes_staff_and_superuser(admin_user):
    other_admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    organization = OrganizationFactory()

    user_set_role(actor=admin_user, user=other_admin, role=Role.FOCAL_POINT, organization=organization)

    other_admin.refresh_from_db()
    assert other_admin.role == Role.FOCAL_POINT
    assert not other_admin.is_staff
    assert not other_admin.is_superuser
    assert other_admin.membership.organization == organization


def test_user_set_role_moves_a_user_to_another_organization(admin_user):
    first, second = OrganizationFactory(), OrganizationFactory()
    user = UserFactory(role=Role.MEMBER, organization=first)

    user_set_role(actor=admin_user, user=user, role=Role.FOCAL_POINT, organization=second)

    assert Membership.objects.get(user=user).organization == second
    assert Membership.objects.filter(user=user).count() == 1


def test_user_set_role_refuses_a_mismatch_and_writes_nothing(admin_user):
    organization = OrganizationFactory()
    user = UserFactory(role=Role.MEMBER, organization=organization)

    with pytest.raises(ValidationError):
        user_set_role(actor=admin_user, user=user, role=Role.COMMITTEE, organization=organization)

    user.refresh_from_db()
    assert user.role == Role.MEMBER
    assert user.membership.organization == organization


def test_user_set_role_refuses_changing_ones_own_role(admin_user):
    with pytest.raises(ValidationError):
        user_set_role(actor=admin_user, user=admin_user, role=Role.COMMITTEE)

    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN


# Focal points manage their own organization's members (tests/accounts/test_delegation.py); here, another's.
@pytest.mark.parametrize(
    ("actor_role", "same_organization"),
    [(Role.COMMITTEE, False), (Role.MEMBER, True), (Role.FOCAL_POINT, False)],
)
def test_only_administrators_manage_accounts(actor_role, same_organization):
    organization = OrganizationFactory()
    own = organization if same_organization else OrganizationFactory()
    actor = UserFactory(role=actor_role, organization=own if actor_role != Role.COMMITTEE else None)
    user = UserFactory(role=Role.MEMBER, organization=organization)

    with pytest.raises(PermissionDenied):
        user_set_role(actor=actor, user=user, role=Role.FOCAL_POINT, organization=organization)
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=actor, user=user)

    user.refresh_from_db()
    assert user.role == Role.MEMBER
    assert user.is_active


def test_user_deactivate_closes_the_account_and_revokes_tokens(admin_user):
    user = UserFactory(role=Role.COMMITTEE)
    token, _key = api_token_for(user)

    user_deactivate(actor=admin_user, user=user)

    user.refresh_from_db()
    token.refresh_from_db()
    assert not user.is_active
    assert not viewer_for(user).is_committee
    assert token.is_revoked and token.revoked_because == "deactivated"


def test_user_deactivate_refuses_ones_own_account(admin_user):
    with pytest.raises(ValidationError):
        user_deactivate(actor=admin_user, user=admin_user)

    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_an_inactive_administrator_cannot_manage_accounts():
    inactive_admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True, is_active=False)
    user = UserFactory(role=Role.COMMITTEE)

    with pytest.raises(PermissionDenied):
        user_deactivate(actor=inactive_admin, user=user)
