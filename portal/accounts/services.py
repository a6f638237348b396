"""Writes on portal accounts: creation, role changes, deactivation.

A user's role decides everything else about the account: whether it belongs to an organization (a Membership
row) and whether it may use the Django admin. The Committee is a role, never `is_superuser`: it sees submitted
records through the visibility policy, never drafts, and has no admin access.
"""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from confidentiality import policies
from iros.models import Membership, Organization
from portal.accounts.models import ORGANIZATION_ROLES, Role, User


def user_role_validate(*, role: str, organization: Organization | None) -> None:
    """Raise ValidationError unless `organization` fits `role` (required for IRO roles, refused for others)."""
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role “%(role)s”: use one of %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    label = Role(role).label
    if role in ORGANIZATION_ROLES and organization is None:
        raise ValidationError({"organization": _("A %(role)s must belong to an organization.") % {"role": label}})
    if role not in ORGANIZATION_ROLES and organization is not None:
        raise ValidationError({"organization": _("A %(role)s does not belong to an organization.") % {"role": label}})


def _apply_role(user: User, role: str) -> None:
    # Administrators need staff and superuser to work in /admin/; no other role gets either, whatever it had.
    user.role = role
    user.is_staff = user.is_superuser = role == Role.ADMIN


def _sync_membership(user: User, organization: Organization | None) -> None:
    if organization is None:
        Membership.objects.filter(user=user).delete()
        return
    membership = Membership.objects.filter(user=user).first() or Membership(user=user)
    if membership.pk is not None and membership.organization_id == organization.pk:
        return
    membership.organization = organization
    membership.full_clean()
    membership.save()


def _require_portal_admin(actor: User) -> None:
    if not policies.viewer_for(actor).is_admin:
        raise PermissionDenied(_("Only administrators manage accounts."))


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    organization: Organization | None = None,
    email: str = "",
    password: str | None = None,
) -> User:
    """Create an account with its role, admin flags and membership; without a password it cannot sign in
    until its owner sets one through "forgotten password"."""
    user_role_validate(role=role, organization=organization)
    user = User(username=username, email=email)
    _apply_role(user, role)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    user.full_clean()
    user.save()
    _sync_membership(user, organization)
    return user


@transaction.atomic
def user_set_role(*, actor: User, user: User, role: str, organization: Organization | None = None) -> User:
    _require_portal_admin(actor)
    if actor.pk == user.pk:
        # An administrator demoting themselves could leave the portal with nobody to manage it.
        raise ValidationError({"role": _("You cannot change your own role.")})
    user_role_validate(role=role, organization=organization)
    _apply_role(user, role)
    user.full_clean()
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    _sync_membership(user, organization)
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Close an account. Its sessions already resolve to anonymous; its API tokens are revoked too."""
    _require_portal_admin(actor)
    if actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    Token.objects.filter(user=user).delete()
    return user
