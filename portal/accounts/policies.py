"""Who sees and manages portal accounts, invitations, sessions and API tokens (the registry's entries).

- **Administrators** see every account and manage every account but their own (no self-lockout): invite for any
  role and organization, change role and organization, deactivate and reactivate, revoke sessions and tokens.
- **Focal points** manage their own organization's members, and nothing else (delegation):
  they see the accounts of their organization; invite members; deactivate and reactivate members; and invite
  or promote a member to a further focal point of their organization while it has fewer than
  `FOCAL_POINTS_PER_ORGANIZATION` (default 2: a main focal point and a deputy), counting pending focal-point
  invitations. They never act on themselves, on another focal point (once named, only an administrator demotes
  or deactivates one: two focal points cannot lock each other out), on Committee experts, administrators or
  another organization's accounts, and never move an account to another organization.
- **Everyone else** (members, Committee experts) sees only their own account and manages none.

Accounts a viewer may not see answer 404 like missing ones; visible accounts it may not change answer 403.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet

from confidentiality.policies import OrganizationAdministrationPolicy, OwnRowsPolicy, Policy, register
from confidentiality.viewers import Viewer
from portal.accounts.models import ApiToken, Invitation, Role, User, UserSession


def _organization_id_of(user: User) -> int | None:
    try:
        return user.membership.organization_id
    except ObjectDoesNotExist:
        return None


def _is_own_member(viewer: Viewer, user: User) -> bool:
    """Is `user` a member (not a focal point) of the organization `viewer` is a focal point of?"""
    return (
        viewer.is_focal_point
        and user.pk != viewer.user_id
        and user.role == Role.MEMBER
        and viewer.belongs_to(_organization_id_of(user))
    )


def focal_point_seats_left(organization) -> int:
    """How many more focal points the organization's own focal points may name (active focal points and pending
    focal-point invitations count against `FOCAL_POINTS_PER_ORGANIZATION`)."""
    focal_points = User.objects.filter(
        role=Role.FOCAL_POINT, is_active=True, membership__organization=organization
    ).count()
    invited = Invitation.objects.filter(
        Invitation.pending_condition(), role=Role.FOCAL_POINT, organization=organization
    ).count()
    return max(settings.FOCAL_POINTS_PER_ORGANIZATION - focal_points - invited, 0)


class UserPolicy(Policy):
    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if viewer.is_admin:
            return queryset
        if viewer.is_focal_point:
            return queryset.filter(Q(membership__organization_id=viewer.organization_id) | Q(pk=viewer.user_id))
        if viewer.is_signed_in:
            return queryset.filter(pk=viewer.user_id)
        return queryset.none()

    def can_manage_accounts(self, viewer: Viewer) -> bool:
        """May the viewer open the accounts pages at all (the list, invitations)?"""
        return viewer.is_admin or viewer.is_focal_point

    def can_change(self, viewer: Viewer, record: User) -> bool:
        """Deactivate and reactivate: administrators any account but their own, focal points their members."""
        if viewer.is_admin:
            return record.pk != viewer.user_id
        return _is_own_member(viewer, record)

    def can_revoke_credentials(self, viewer: Viewer, record: User) -> bool:
        """End every session and token of another account (one's own: "sign out everywhere" on the profile)."""
        return viewer.is_admin and record.pk != viewer.user_id

    def can_reset_two_factor(self, viewer: Viewer, record: User) -> bool:
        """Remove another account's second factor (a lost phone): administrators only, as for its credentials."""
        return self.can_revoke_credentials(viewer, record)

    def roles_assignable(self, viewer: Viewer, record: User | None = None) -> list[str]:
        """The roles the viewer may give `record` (None: a new account, by invitation)."""
        if viewer.is_admin:
            return [] if record is not None and record.pk == viewer.user_id else list(Role.values)
        if not viewer.is_focal_point or (record is not None and not _is_own_member(viewer, record)):
            return []
        return [Role.MEMBER, Role.FOCAL_POINT] if record is None else [Role.FOCAL_POINT]

    def organizations_assignable(self, viewer: Viewer, organizations: QuerySet) -> QuerySet:
        """The organizations the viewer may give an account (or an invitee): a focal point only its own."""
        if viewer.is_admin:
            return organizations
        if viewer.is_focal_point:
            return organizations.filter(pk=viewer.organization_id)
        return organizations.none()

    def can_assign(self, viewer: Viewer, record: User | None, *, role: str, organization) -> bool:
        """May the viewer give `record` (None: an invitee) this role and organization?

        Consistency of role and organization is the services' rule (`user_role_validate`), not a permission.
        """
        if role not in self.roles_assignable(viewer, record):
            return False
        if viewer.is_admin:
            return True
        if organization is None or not viewer.belongs_to(organization.pk):
            return False
        return role != Role.FOCAL_POINT or focal_point_seats_left(organization) > 0


class ApiTokenPolicy(OwnRowsPolicy):
    """API tokens: their owner's, and every one for administrators."""

    def can_change(self, viewer: Viewer, record: ApiToken) -> bool:
        # Revoking is the only change a token takes.
        return self.can_revoke_tokens_of(viewer, record.user_id)

    @staticmethod
    def can_revoke_tokens_of(viewer: Viewer, user_id: int) -> bool:
        """The owner and administrators (who support users, or close a leak) revoke a user's tokens."""
        return viewer.is_admin or (viewer.is_signed_in and viewer.user_id == user_id)


def register_policies() -> None:
    register(UserPolicy(User))
    register(ApiTokenPolicy(ApiToken))
    # Invitations: administrators see and manage all, focal points those for their own organization.
    register(OrganizationAdministrationPolicy(Invitation))
    # Signed-in sessions: their owner's, and every one for administrators (the account page lists them).
    register(OwnRowsPolicy(UserSession))
