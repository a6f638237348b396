"""Reads about accounts, given the acting user: who it may see, their invitations and sessions, and what a change
of role would change."""

from __future__ import annotations

import re
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from confidentiality import policies
from confidentiality.policies import get_visible_or_404, policy_for, viewer_for, visible_to
from iros.models import Organization
from portal.accounts.models import ApiToken, Invitation, Role, User, UserSession, invitation_secret_hash

# The roles `PORTAL_2FA_REQUIRED=privileged` asks a second factor of: whoever can change or see more than a member.
PRIVILEGED_ROLES = frozenset({Role.ADMIN, Role.COMMITTEE, Role.FOCAL_POINT})


def two_factor_required(user) -> bool:
    """Must `user` sign in with a second factor under `PORTAL_2FA_REQUIRED` (`all`, `privileged`, `off`)?"""
    mode = settings.PORTAL_2FA_REQUIRED
    if not getattr(user, "is_authenticated", False) or mode == "off":
        return False
    if mode == "all":
        return True
    return user.role in PRIVILEGED_ROLES or user.is_superuser


# --- API tokens -----------------------------------------------------------------------------------------------


def api_token_creation_allowed(user, *, second_factor_verified: bool) -> bool:
    """May `user` make a token for themself now? A token is a password that skips the second factor, so a user
    who must sign in with one gets a token only from a session verified with it."""
    return user.is_active and (not two_factor_required(user) or second_factor_verified)


def api_token_list_for(*, actor, user: User | None = None) -> QuerySet[ApiToken]:
    """`user`'s tokens (by default the actor's own), newest first, as far as `actor` may see them."""
    owner = user or actor
    return policies.visible_to(actor, ApiToken.objects.filter(user_id=owner.pk))


def api_token_get_for(*, actor, token_id) -> ApiToken:
    """One token the actor may see; Http404 for a missing or hidden one alike."""
    return policies.get_visible_or_404(actor, ApiToken.objects.all(), pk=token_id)


def api_token_for_key(key: str) -> ApiToken | None:
    """The token with this key, whatever its state, with its user (one query); None for an unknown key.

    No actor: this is how the API finds out who the caller is.
    """
    try:
        return ApiToken.objects.select_related("user").get(key_digest=ApiToken.digest_of(key))
    except ApiToken.DoesNotExist:
        return None


def authenticators():
    # Two-factor sign-in is on when the account has a confirmed authenticator app (django-otp's TOTP device);
    # the backup codes are made and removed with it.
    return TOTPDevice.objects.filter(confirmed=True)


def two_factor_enabled(user) -> bool:
    """Has `user` turned on two-factor sign-in (a confirmed authenticator app)?"""
    if getattr(user, "pk", None) is None:
        return False
    return authenticators().filter(user=user).exists()


def users_with_two_factor_enabled(queryset: QuerySet[User]) -> QuerySet[User]:
    """`queryset` with a boolean `two_factor_enabled` per user (one subquery, so a list can show and filter it)."""
    return queryset.annotate(two_factor_enabled=Exists(authenticators().filter(user=OuterRef("pk"))))


def organization_of(user: User):
    """The organization `user` belongs to, read from its membership (None for the Committee and administrators)."""
    try:
        return user.membership.organization
    except ObjectDoesNotExist:
        return None


# --- accounts -------------------------------------------------------------------------------------------------


def can_manage_accounts(*, actor) -> bool:
    """May `actor` open the accounts pages (administrators, focal points)?"""
    return policy_for(User).can_manage_accounts(viewer_for(actor))


def user_list_for(*, actor) -> QuerySet[User]:
    users = User.objects.select_related("membership__organization").order_by("username", "pk")
    return users_with_two_factor_enabled(visible_to(actor, users))


def user_get_for(*, actor, user_id: int) -> User:
    """The account if `actor` may see it; Http404 for missing and hidden alike."""
    users = users_with_two_factor_enabled(User.objects.select_related("membership__organization"))
    return get_visible_or_404(actor, users, pk=user_id)


def user_permissions_for(*, actor, user: User) -> dict[str, bool]:
    """What `actor` may do with `user` on its page (buttons shown; the services check again on the locked row)."""
    policy, viewer = policy_for(User), viewer_for(actor)
    return {
        "can_change_role": bool(policy.roles_assignable(viewer, user)),
        "can_change_status": policy.can_change(viewer, user),
        "can_revoke": policy.can_revoke_credentials(viewer, user),
        "can_reset_two_factor": policy.can_reset_two_factor(viewer, user),
    }


def roles_assignable_for(*, actor, user: User | None = None) -> list[str]:
    """The roles `actor` may give `user` (None: an invitee), in the order of `Role`."""
    return policy_for(User).roles_assignable(viewer_for(actor), user)


def organizations_assignable_for(*, actor) -> QuerySet[Organization]:
    return policy_for(User).organizations_assignable(viewer_for(actor), Organization.objects.order_by("acronym"))


def role_change_consequences(*, user: User, role: str, organization) -> list[str]:
    """What changes for `user` if it gets `role` at `organization`, in sentences for the confirmation page."""
    old_role, old_organization = user.role, organization_of(user)
    lines: list[str] = []
    if old_organization is not None and old_organization != organization:
        lines.append(
            _("will stop seeing %(acronym)s's drafts and what other organizations share only with %(acronym)s")
            % {"acronym": old_organization.acronym}
        )
        if old_role == Role.FOCAL_POINT:
            lines.append(
                _("will no longer edit, submit or share %(acronym)s's records, nor manage its members")
                % {"acronym": old_organization.acronym}
            )
    if organization is not None and organization != old_organization:
        lines.append(
            _("will see %(acronym)s's drafts and what other organizations share with %(acronym)s")
            % {"acronym": organization.acronym}
        )
    if role == Role.FOCAL_POINT and (old_role != Role.FOCAL_POINT or organization != old_organization):
        lines.append(
            _("will edit, submit and share %(acronym)s's records and manage its members as a focal point")
            % {"acronym": organization.acronym}
        )
    if role == Role.MEMBER and old_role == Role.FOCAL_POINT and organization == old_organization:
        lines.append(
            _("will only read %(acronym)s's records, no longer edit, submit or share them, nor manage its members")
            % {"acronym": organization.acronym}
        )
    if role == Role.COMMITTEE and old_role != Role.COMMITTEE:
        lines.append(_("will see every submitted record as a Committee expert (never an organization's drafts)"))
    if old_role == Role.COMMITTEE and role != Role.COMMITTEE:
        lines.append(_("will no longer see every submitted record nor record the Committee's work"))
    if role == Role.ADMIN and old_role != Role.ADMIN:
        lines.append(_("will see every record, drafts included, manage every account and use the Django admin"))
    if old_role == Role.ADMIN and role != Role.ADMIN:
        lines.append(_("will lose administrator access: no more account management or Django admin"))
    lines.append(_("is signed out everywhere and its API tokens stop working: it signs in again"))
    return lines


# --- invitations ----------------------------------------------------------------------------------------------


def invitation_list_for(*, actor) -> QuerySet[Invitation]:
    invitations = Invitation.objects.select_related("organization", "invited_by", "user")
    return visible_to(actor, invitations)


def invitation_get_for(*, actor, invitation_id: int) -> Invitation:
    return get_visible_or_404(actor, Invitation.objects.select_related("organization"), pk=invitation_id)


def invitation_for_secret(secret: str) -> Invitation | None:
    """The invitation a link's secret opens, whatever its state (the link is the invitee's credential: no viewer)."""
    return (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(secret_hash=invitation_secret_hash(secret))
        .first()
    )


def suggested_username(email: str) -> str:
    """A free username made from an e-mail address's local part ("a.khan@osce.org" → "a.khan", then "a.khan2")."""
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0])[:140] or "user"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


# --- sessions -------------------------------------------------------------------------------------------------


def session_store():
    """The session engine's store class (`SESSION_ENGINE`): sessions are ended through it, whatever keeps them."""
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_alive(session_key: str, user: User) -> bool:
    """Is the session still signed in as `user` (not expired, not signed out, not ended)?"""
    return session_store()(session_key=session_key).get(SESSION_KEY) == str(user.pk)


def session_list_for(*, actor, user: User) -> list[UserSession]:
    """The sessions of `user` that are still signed in, most recently seen first."""
    rows = visible_to(actor, UserSession.objects.filter(user=user))
    return [row for row in rows if session_alive(row.session_key, user)]


def session_get_for(*, actor, session_id: int) -> UserSession:
    """One of the actor's own sessions; Http404 otherwise."""
    return get_visible_or_404(actor, UserSession.objects.filter(user_id=viewer_for(actor).user_id), pk=session_id)
