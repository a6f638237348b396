"""Who manages which accounts: administrators every one but their own; a focal point its own organization's members
and nothing else; everyone else none. Hidden accounts answer 404, visible ones a caller may not change 403."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from iros.models import Membership
from portal.accounts.models import Invitation, Role, User
from portal.accounts.services import (
    invitation_create,
    invitation_send,
    user_deactivate,
    user_reactivate,
    user_set_role,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The matrix: (method, route, whether it names the target account).
ACTIONS = {
    "list": ("get", "accounts:users", False),
    "invitations": ("get", "accounts:invitations", False),
    "invite page": ("get", "accounts:invite", False),
    "detail": ("get", "accounts:user_detail", True),
    "role page": ("get", "accounts:user_role", True),
    "deactivate page": ("get", "accounts:user_deactivate", True),
    "deactivate": ("post", "accounts:user_deactivate", True),
    "reactivate": ("post", "accounts:user_reactivate", True),
    "revoke": ("post", "accounts:user_revoke", True),
}
LOGIN = "login"
# persona → the answer to each action on a member of OWNER (organization A); OTHER is organization B.
EXPECTED = {
    "anonymous": dict.fromkeys(ACTIONS, LOGIN),
    "admin": {**dict.fromkeys(ACTIONS, 200), "deactivate": 302, "reactivate": 302, "revoke": 302},
    "committee": dict.fromkeys(ACTIONS, 403),
    "owner_focal": {**dict.fromkeys(ACTIONS, 200), "deactivate": 302, "reactivate": 302, "revoke": 403},
    "owner_member": dict.fromkeys(ACTIONS, 403),
    "other_focal": {
        **dict.fromkeys(ACTIONS, 404),
        "list": 200,
        "invitations": 200,
        "invite page": 200,
    },
}


@pytest.fixture
def target(orgs):
    return UserFactory(username="target", role=Role.MEMBER, organization=orgs["owner"])


def account_rows():
    return list(User.objects.order_by("pk").values("username", "role", "is_active")) + list(
        Membership.objects.order_by("pk").values("user_id", "organization_id")
    )


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_the_accounts_pages_answer_each_role_as_the_policy_says(persona, people, target, sign_in):
    client = sign_in(persona)
    problems = []
    for action, (method, route, names_target) in ACTIONS.items():
        url = reverse(route, args=[target.pk] if names_target else [])
        before = account_rows()
        response = getattr(client, method)(url)
        expected = EXPECTED[persona][action]
        status = LOGIN if response.status_code == 302 and "/accounts/login/" in response.get("Location", "") else None
        if (status or response.status_code) != expected:
            problems.append(f"{action}: {status or response.status_code}, expected {expected}")
        if expected in (403, 404, LOGIN) and account_rows() != before:
            problems.append(f"{action}: a refused request changed an account")
        if action == "deactivate" and expected == 302:
            user_reactivate(actor=people["admin"], user=target)

    assert problems == []


def test_a_missing_account_answers_like_another_organizations(people, sign_in):
    client = sign_in("other_focal")

    assert client.get(reverse("accounts:user_detail", args=[10**9])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("admin", ["owner-member", "other-member", "expert", "administrator"], []),
        ("owner_focal", ["owner-member", "owner-focal", "inactive"], ["other-member", "sel-member", "expert"]),
        ("other_focal", ["other-member", "other-focal"], ["owner-member", "target", "expert", "administrator"]),
    ],
)
def test_the_list_shows_the_accounts_the_caller_manages(persona, shown, hidden, people, target, sign_in):
    client = sign_in(persona)

    rows = {user.username for user in client.get(reverse("accounts:users")).context["page_obj"].object_list}

    assert set(shown) <= rows
    assert not set(hidden) & rows


# --- what a focal point may do, at the service (the pages call these) ----------------------------------------


@pytest.mark.parametrize("target_persona", ["selected_focal", "other_member", "committee", "admin"])
def test_a_focal_point_deactivates_only_its_own_organizations_members(target_persona, people):
    target_user = people[target_persona]

    with pytest.raises(PermissionDenied):
        user_deactivate(actor=people["owner_focal"], user=target_user)

    target_user.refresh_from_db()
    assert target_user.is_active


def test_a_focal_point_never_deactivates_itself(people):
    with pytest.raises(ValidationError):
        user_deactivate(actor=people["owner_focal"], user=people["owner_focal"])


def test_a_focal_point_never_deactivates_another_focal_point_of_its_organization(people, orgs):
    deputy = UserFactory(role=Role.FOCAL_POINT, organization=orgs["owner"])

    with pytest.raises(PermissionDenied):
        user_deactivate(actor=people["owner_focal"], user=deputy)


def test_a_focal_point_deactivates_and_reactivates_its_member(people, target):
    user_deactivate(actor=people["owner_focal"], user=target)
    target.refresh_from_db()
    assert not target.is_active

    user_reactivate(actor=people["owner_focal"], user=target)
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize(
    ("role", "organization_key"),
    [(Role.MEMBER, "other"), (Role.FOCAL_POINT, "other"), (Role.COMMITTEE, None), (Role.ADMIN, None)],
)
def test_a_focal_point_invites_only_for_its_own_organization(role, organization_key, people, orgs):
    organization = orgs[organization_key] if organization_key else None

    with pytest.raises(PermissionDenied):
        invitation_send(actor=people["owner_focal"], email="x@y.test", role=role, organization=organization)

    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_focal_point_invites_members_of_its_own_organization(people, orgs):
    focal = people["owner_focal"]

    invitation = invitation_send(actor=focal, email="x@y.test", role=Role.MEMBER, organization=orgs["owner"])

    assert invitation.invited_by == focal


def test_a_focal_point_names_a_second_focal_point_only_while_a_seat_is_left(people, orgs, settings):
    # given OWNER with one active focal point (the deactivated one does not count) and two seats
    settings.FOCAL_POINTS_PER_ORGANIZATION = 2
    focal, owner = people["owner_focal"], orgs["owner"]

    # when its focal point invites a second focal point, the last seat is taken (pending invitations count)
    invitation_send(actor=focal, email="deputy@owner.test", role=Role.FOCAL_POINT, organization=owner)

    # then neither a third invitation nor a promotion is allowed; a member still is
    with pytest.raises(PermissionDenied):
        invitation_send(actor=focal, email="third@owner.test", role=Role.FOCAL_POINT, organization=owner)
    with pytest.raises(PermissionDenied):
        user_set_role(actor=focal, user=people["owner_member"], role=Role.FOCAL_POINT, organization=owner)
    invitation_send(actor=focal, email="member@owner.test", role=Role.MEMBER, organization=owner)
    # and an administrator is not bound by the seats
    invitation_send(actor=people["admin"], email="third@owner.test", role=Role.FOCAL_POINT, organization=owner)


def test_a_focal_point_promotes_its_member_but_demotes_nobody(people, orgs, target):
    focal, owner = people["owner_focal"], orgs["owner"]

    user_set_role(actor=focal, user=target, role=Role.FOCAL_POINT, organization=owner)

    target.refresh_from_db()
    assert target.role == Role.FOCAL_POINT
    with pytest.raises(PermissionDenied):
        user_set_role(actor=focal, user=target, role=Role.MEMBER, organization=owner)
    with pytest.raises(PermissionDenied):
        user_set_role(actor=focal, user=people["owner_member"], role=Role.MEMBER, organization=orgs["other"])


def test_a_focal_points_forms_offer_only_what_it_may_give(people, target, sign_in):
    client = sign_in("owner_focal")

    invite = client.get(reverse("accounts:invite")).context["form"]
    role = client.get(reverse("accounts:user_role", args=[target.pk])).context["form"]

    assert [value for value, _ in invite.fields["role"].choices] == [Role.MEMBER, Role.FOCAL_POINT]
    assert [o.acronym for o in invite.fields["organization"].queryset] == ["OWNER"]
    assert invite["organization"].value() == "OWNER"
    assert [value for value, _ in role.fields["role"].choices] == [Role.FOCAL_POINT]


def test_a_focal_point_cannot_use_its_form_for_another_organization(people, sign_in):
    client = sign_in("owner_focal")

    data = {"email": "x@y.test", "role": Role.MEMBER, "organization": "OTHER"}

    response = client.post(reverse("accounts:invite"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    assert not Invitation.objects.exists()


def test_focal_points_resend_and_revoke_only_their_organizations_invitations(people, orgs, sign_in):
    own = invitation_create(email="a@owner.test", role=Role.MEMBER, organization=orgs["owner"])
    other = invitation_create(email="b@other.test", role=Role.MEMBER, organization=orgs["other"])
    client = sign_in("owner_focal")

    listed = list(client.get(reverse("accounts:invitations")).context["page_obj"].object_list)
    resend_page = client.get(reverse("accounts:invitation_resend", args=[own.pk]))
    hidden = client.post(reverse("accounts:invitation_revoke", args=[other.pk]))
    revoked = client.post(reverse("accounts:invitation_revoke", args=[own.pk]))

    assert listed == [own]
    assert resend_page.status_code == 200
    assert "new link" in resend_page.content.decode()
    assert hidden.status_code == 404
    assert revoked.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.revoked_at is not None
    assert other.revoked_at is None


@pytest.mark.parametrize("persona", ["committee", "owner_member"])
def test_members_and_committee_experts_manage_no_invitation(persona, people, orgs, sign_in):
    invitation = invitation_create(email="a@owner.test", role=Role.MEMBER, organization=orgs["owner"])
    client = sign_in(persona)

    assert client.post(reverse("accounts:invitation_revoke", args=[invitation.pk])).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
