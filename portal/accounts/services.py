"""Writes on portal accounts: creation, role changes, deactivation, password changes, API tokens.

A user's role decides everything else about the account: whether it belongs to an organization (a Membership
row) and whether it may use the Django admin. The Committee is a role, never `is_superuser`: it sees submitted
records through the visibility policy, never drafts, and has no admin access.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confidentiality import policies
from iros.models import Membership, Organization
from portal.accounts.models import ORGANIZATION_ROLES, ApiToken, Role, User
from portal.accounts.policies import ApiTokenPolicy
from portal.accounts.selectors import api_token_creation_allowed
from portal.accounts.signals import credentials_revoked
from portal.kernel.locking import lock_for_update
from portal.security.models import SecurityEvent
from portal.security.services import security_event_record


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
    """Close an account. Its sessions already resolve to anonymous; its credentials are revoked too."""
    _require_portal_admin(actor)
    if actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    credentials_revoked.send(sender=User, user=user, reason="deactivated", actor=actor)
    return user


# --- passwords ------------------------------------------------------------------------------------------------


PASSWORD_EVENTS = {
    "password_changed": SecurityEvent.Kind.PASSWORD_CHANGED,
    "password_reset": SecurityEvent.Kind.PASSWORD_RESET,
}


@transaction.atomic
def user_password_changed(*, user: User, reason: str, request=None) -> None:
    """After `user`'s password was set (`reason`: "password_changed" or "password_reset"): log it and revoke
    every credential the old password may have handed out. Call it in the transaction that saved the password."""
    security_event_record(PASSWORD_EVENTS[reason], request=request, actor=user, user=user)
    credentials_revoked.send(sender=User, user=user, reason=reason, actor=user, request=request)


# --- API tokens -----------------------------------------------------------------------------------------------
# A token is made by its owner, from a session that passed the second factor when the owner must use one (the
# tokens page, or the password token endpoint for owners who need no second factor), or on the command line for
# automation. Its key is returned once, by the service that makes it; only its digest is stored.

# `last_used_at` tells an owner whether a token is still in use; it is no audit. Writing it at most once a minute
# spares an API client's steady stream of requests a write each.
TOKEN_USE_PRECISION = timedelta(minutes=1)
TOKEN_KEY_BYTES = 20  # 40 hexadecimal characters, as DRF's tokens had


def _api_token_issue(*, user: User, name: str, created_by: User | None, request=None) -> tuple[ApiToken, str]:
    key = secrets.token_hex(TOKEN_KEY_BYTES)
    token = ApiToken(
        user=user,
        name=name,
        key_digest=ApiToken.digest_of(key),
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    token.full_clean()
    token.save()
    security_event_record(
        SecurityEvent.Kind.TOKEN_CREATED,
        request=request,
        actor=created_by,
        user=user,
        token_name=name,
        token_id=token.pk,
        expires_at=token.expires_at.isoformat(),
    )
    return token, key


@transaction.atomic
def api_token_create(*, actor: User, name: str, second_factor_verified: bool, request=None) -> tuple[ApiToken, str]:
    """A new token for the actor themself, and its key (shown once: it is not stored)."""
    if not api_token_creation_allowed(actor, second_factor_verified=second_factor_verified):
        raise PermissionDenied(
            _("Your account signs in with a second factor: create API tokens on your tokens page after signing in.")
        )
    return _api_token_issue(user=actor, name=name, created_by=actor, request=request)


@transaction.atomic
def api_token_create_for_automation(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user` and its key, for `createportaluser --token`: whoever runs management commands holds
    the portal's keys already, so no second factor is asked for."""
    return _api_token_issue(user=user, name=name, created_by=None)


def api_token_record_use(token: ApiToken) -> None:
    """Note that `token` was just used, unless that was noted less than `TOKEN_USE_PRECISION` ago."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_PRECISION:
        return
    token.last_used_at = now
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def _revoke(tokens, *, reason: str) -> int:
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_because=reason)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken, request=None) -> ApiToken:
    """Revoke one token: its owner or an administrator. Revoking a revoked token changes nothing."""
    token = lock_for_update(
        token, actor=actor, allowed=policies.can_edit, message=_("You may not revoke this API token.")
    )
    if token.is_revoked:
        return token
    reason = (
        ApiToken.RevokedBecause.REVOKED_BY_USER
        if actor.pk == token.user_id
        else ApiToken.RevokedBecause.REVOKED_BY_ADMIN
    )
    token.revoked_at = timezone.now()
    token.revoked_because = reason
    token.save(update_fields=["revoked_at", "revoked_because"])
    security_event_record(
        SecurityEvent.Kind.TOKEN_REVOKED,
        request=request,
        actor=actor,
        user=token.user,
        reason=reason,
        token_name=token.name,
        token_id=token.pk,
    )
    return token


@transaction.atomic
def tokens_revoke_all(*, actor: User, user: User, request=None) -> None:
    """Revoke every credential of `user` (their tokens; sessions too, where the portal keeps them): the user
    themself or an administrator. The revocation itself answers `credentials_revoked`, whoever sends it."""
    if not ApiTokenPolicy.can_revoke_tokens_of(policies.viewer_for(actor), user.pk):
        raise PermissionDenied(_("Only administrators revoke another user's credentials."))
    reason = "revoked_by_user" if actor.pk == user.pk else "revoked_by_admin"
    credentials_revoked.send(sender=User, user=user, reason=reason, actor=actor, request=request)


def api_tokens_revoke_on_credentials_revoked(sender, *, user: User, reason: str, **kwargs) -> None:
    """`credentials_revoked` receiver: every usable token of `user` stops working now, in the sender's transaction.

    Senders may add `actor` (who did it) and `request` for the security log.
    """
    revoked = _revoke(ApiToken.objects.filter(user=user), reason=reason)
    if revoked:
        security_event_record(
            SecurityEvent.Kind.TOKEN_REVOKED,
            request=kwargs.get("request"),
            actor=kwargs.get("actor"),
            user=user,
            reason=reason,
            count=revoked,
        )
