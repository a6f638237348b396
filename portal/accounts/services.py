"""Writes on portal accounts: creation, invitations, role changes, deactivation, profiles, sessions, passwords
and API tokens.

A user's role decides everything else about the account: whether it belongs to an organization (a Membership
row) and whether it may use the Django admin. The Committee is a role, never `is_superuser`: it sees submitted
records through the visibility policy, never drafts, and has no admin access.

Who may do what to which account is `portal.accounts.policies` (administrators, and focal points for their own
organization's members); every service that acts for someone locks the row it changes and asks the policy on
the locked row. Every change is written to the security log, and a change that must end the account's sign-ins
sends `credentials_revoked` (sessions end here, API tokens where tokens are kept).
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from confidentiality import policies
from confidentiality.policies import policy_for, viewer_for
from iros.models import Membership, Organization
from portal.accounts.models import (
    ORGANIZATION_ROLES,
    ApiToken,
    Invitation,
    Role,
    User,
    UserSession,
    invitation_secret_hash,
)
from portal.accounts.policies import ApiTokenPolicy
from portal.accounts.selectors import api_token_creation_allowed, organization_of, session_alive, session_store
from portal.accounts.signals import credentials_revoked
from portal.kernel.locking import lock_for_update
from portal.security.models import SecurityEvent
from portal.security.services import client_address, security_event_record

# Where a signed-in session remembers which index row it is and when that row was last written.
SESSION_INDEX_MARK = "_portal_session_index"


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


def _acronym(organization: Organization | None) -> str | None:
    return organization.acronym if organization is not None else None


def _users_may(question: str):
    """`lock_for_update`'s rule: ask the account policy `question` about the locked account, for the locked actor."""
    policy = policy_for(User)
    return lambda actor, user: getattr(policy, question)(viewer_for(actor), user)


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
    until its owner sets one through "forgotten password" (which sends the link to accounts without one too)."""
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
def user_set_role(
    *, actor: User, user: User, role: str, organization: Organization | None = None, request=None
) -> User:
    """Give `user` a role and organization (consistent with each other). Its sign-ins end: what it may see changes."""
    if actor.pk == user.pk:
        # An administrator demoting themselves could leave the portal with nobody to manage it.
        raise ValidationError({"role": _("You cannot change your own role.")})
    user_role_validate(role=role, organization=organization)
    policy = policy_for(User)
    user = lock_for_update(
        user,
        actor=actor,
        allowed=lambda current, locked: policy.can_assign(
            viewer_for(current), locked, role=role, organization=organization
        ),
        message=_("You may not give this account that role or organization."),
    )
    old_role, old_organization = user.role, organization_of(user)
    admin_flags_right = user.is_staff == user.is_superuser == (role == Role.ADMIN)
    if old_role == role and old_organization == organization and admin_flags_right:
        return user
    _apply_role(user, role)
    user.full_clean()
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    _sync_membership(user, organization)
    security_event_record(
        SecurityEvent.Kind.ROLE_CHANGED,
        request=request,
        actor=actor,
        user=user,
        old_role=old_role,
        new_role=role,
        old_organization=_acronym(old_organization),
        new_organization=_acronym(organization),
    )
    credentials_revoked.send(sender=User, user=user, reason="role_changed")
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User, request=None) -> User:
    """Close an account: its sessions and API tokens end, and it can no longer sign in."""
    if actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user = lock_for_update(
        user, actor=actor, allowed=_users_may("can_change"), message=_("You may not deactivate this account.")
    )
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        security_event_record(SecurityEvent.Kind.DEACTIVATED, request=request, actor=actor, user=user)
        credentials_revoked.send(sender=User, user=user, reason="deactivated", actor=actor, request=request)
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


@transaction.atomic
def user_reactivate(*, actor: User, user: User, request=None) -> User:
    """Open a closed account again, with the role and organization it had. Its old sessions and tokens stay ended."""
    user = lock_for_update(
        user, actor=actor, allowed=_users_may("can_change"), message=_("You may not reactivate this account.")
    )
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        security_event_record(SecurityEvent.Kind.REACTIVATED, request=request, actor=actor, user=user)
    return user


@transaction.atomic
def user_revoke_credentials(*, actor: User, user: User, request=None) -> User:
    """End every session and API token of `user` (an administrator's action, e.g. a lost laptop)."""
    user = lock_for_update(
        user,
        actor=actor,
        allowed=_users_may("can_revoke_credentials"),
        message=_("Only administrators end another account's sessions and tokens."),
    )
    security_event_record(
        SecurityEvent.Kind.SESSIONS_REVOKED, request=request, actor=actor, user=user, scope="sessions and tokens"
    )
    credentials_revoked.send(sender=User, user=user, reason="revoked_by_admin")
    return user


@transaction.atomic
def user_profile_update(*, actor: User, first_name: str, last_name: str, email: str, language: str) -> User:
    """The signed-in user's own name, e-mail address and language."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to change your profile."))
    user = User.objects.select_for_update().get(pk=actor.pk)
    user.first_name, user.last_name, user.email, user.language = first_name, last_name, email, language
    user.full_clean()
    user.save(update_fields=["first_name", "last_name", "email", "language"])
    return user


@transaction.atomic
def user_language_set(*, actor: User, language: str) -> User:
    """The signed-in user's language alone (the language switcher): the name and e-mail address, which another
    tab may be changing on the profile page, are neither read nor written."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to change your profile."))
    user = User.objects.select_for_update().get(pk=actor.pk)
    user.language = User._meta.get_field("language").clean(language, user)
    user.save(update_fields=["language"])
    return user


# --- invitations ----------------------------------------------------------------------------------------------


class InvitationUnavailable(Exception):
    """The invitation was accepted, revoked or has expired: its link no longer opens an account."""

    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


def _invitation_mail(invitation: Invitation, secret: str) -> None:
    """Send the link once the invitation is committed (a rolled-back invitation mails nothing). A failing mail
    server does not undo the invitation: the failure is logged and the invitation can be re-sent."""
    context = {
        "invitation": invitation,
        "link": settings.PORTAL_BASE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[secret]),
        "inviter": invitation.invited_by,
        "days": settings.INVITATION_DAYS,
    }
    # The invitee has no account, hence no saved language, yet: the portal's language, not the inviter's.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("accounts/invitation_email_subject.txt", context).split())
        body = render_to_string("accounts/invitation_email.txt", context)
    recipient = invitation.email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient]),
        robust=True,
    )


def _new_secret(invitation: Invitation) -> str:
    secret = secrets.token_urlsafe(32)
    invitation.secret_hash = invitation_secret_hash(secret)
    invitation.expires = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    return secret


def username_validate(username: str) -> None:
    """A username a new account may take: well formed and free (whatever its case: "Anna" and "anna" are one)."""
    if not username:
        return
    field = User._meta.get_field("username")
    try:
        field.run_validators(username)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from error
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with that username already exists.")})


@transaction.atomic
def invitation_create(
    *,
    email: str,
    role: str,
    organization: Organization | None = None,
    username: str = "",
    invited_by: User | None = None,
    request=None,
) -> Invitation:
    """Record an invitation and mail its link. Checks no permission: `invitation_send` does, for people; the
    command line (`createportaluser --invite`) calls this directly, as it calls `user_create`."""
    user_role_validate(role=role, organization=organization)
    email = User.objects.normalize_email(email.strip())
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("An account with this e-mail address already exists: change that account instead.")}
        )
    if email and Invitation.objects.filter(Invitation.pending_condition(), email__iexact=email).exists():
        raise ValidationError(
            {"email": _("An invitation to this address is already pending: re-send or revoke it instead.")}
        )
    username_validate(username)
    invitation = Invitation(email=email, role=role, organization=organization, username=username, invited_by=invited_by)
    secret = _new_secret(invitation)
    invitation.full_clean()
    invitation.save()
    security_event_record(
        SecurityEvent.Kind.INVITATION_SENT,
        request=request,
        actor=invited_by,
        username=username or email,
        email=email,
        role=role,
        organization=_acronym(organization),
    )
    _invitation_mail(invitation, secret)
    return invitation


@transaction.atomic
def invitation_send(
    *, actor: User, email: str, role: str, organization: Organization | None = None, request=None
) -> Invitation:
    """Invite someone to an account, as `actor` (an administrator, or a focal point for its organization)."""
    user_role_validate(role=role, organization=organization)
    policy = policy_for(User)
    message = _("You may not invite someone with this role or organization.")
    if organization is None:
        if not policy.can_assign(viewer_for(actor), None, role=role, organization=None):
            raise PermissionDenied(message)
    else:
        # The organization's row is locked: two focal points inviting at once cannot both take the last seat.
        organization = lock_for_update(
            organization,
            actor=actor,
            allowed=lambda current, locked: policy.can_assign(
                viewer_for(current), None, role=role, organization=locked
            ),
            message=message,
        )
    return invitation_create(email=email, role=role, organization=organization, invited_by=actor, request=request)


def _invitations_may(actor, invitation) -> bool:
    return policy_for(Invitation).can_change(viewer_for(actor), invitation)


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation, request=None) -> Invitation:
    """Mail a new link with a new expiry; the old link stops working."""
    invitation = lock_for_update(
        invitation, actor=actor, allowed=_invitations_may, message=_("You may not re-send this invitation.")
    )
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        raise ValidationError(
            _("This invitation was %(status)s: there is nothing to re-send.")
            % {"status": invitation.get_status_display().lower()}
        )
    secret = _new_secret(invitation)
    invitation.save(update_fields=["secret_hash", "expires"])
    security_event_record(
        SecurityEvent.Kind.INVITATION_SENT,
        request=request,
        actor=actor,
        username=invitation.username or invitation.email,
        email=invitation.email,
        role=invitation.role,
        organization=_acronym(invitation.organization),
        resent=True,
    )
    _invitation_mail(invitation, secret)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation, request=None) -> Invitation:
    """Withdraw an invitation: its link no longer opens an account."""
    invitation = lock_for_update(
        invitation, actor=actor, allowed=_invitations_may, message=_("You may not revoke this invitation.")
    )
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was accepted: deactivate the account instead."))
    if invitation.revoked_at is not None:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    security_event_record(
        SecurityEvent.Kind.INVITATION_REVOKED,
        request=request,
        actor=actor,
        username=invitation.username or invitation.email,
        email=invitation.email,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, username: str, password: str, request=None) -> User:
    """Open the invited account with the password its owner chose; the invitation is then used up.

    Raises InvitationUnavailable when it is no longer pending (two tabs submitting at once: the second waits
    for the row lock, then finds it accepted).
    """
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("organization").get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise InvitationUnavailable(invitation.status)
    user = user_create(
        username=invitation.username or username,
        role=invitation.role,
        organization=invitation.organization,
        email=invitation.email,
        password=password,
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    security_event_record(
        SecurityEvent.Kind.INVITATION_ACCEPTED,
        request=request,
        actor=user,
        user=user,
        role=invitation.role,
        organization=_acronym(invitation.organization),
    )
    return user


# --- sessions -------------------------------------------------------------------------------------------------


def session_index(*, request, user: User) -> None:
    """Add the session `request` has just signed in to the user's index, and forget the user's ended ones."""
    key = request.session.session_key
    if key is None:
        return
    for row in UserSession.objects.filter(user=user).exclude(session_key=key):
        if not session_alive(row.session_key, user):
            row.delete()
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "last_seen": timezone.now(),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ip_address": client_address(request),
        },
    )
    request.session[SESSION_INDEX_MARK] = [key, time.time()]


def session_touch(*, request) -> None:
    """Keep the index true for a signed-in request: follow a new session key (Django changes it when the password
    changes) and refresh "last seen" — written at most every `SESSION_INDEX_REFRESH_SECONDS`, so most requests
    write nothing."""
    key = request.session.session_key
    if key is None:
        return
    mark = request.session.get(SESSION_INDEX_MARK) or [None, 0.0]
    now = time.time()
    if mark[0] == key and now - mark[1] < settings.SESSION_INDEX_REFRESH_SECONDS:
        return
    fields = {
        "session_key": key,
        "last_seen": timezone.now(),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        "ip_address": client_address(request),
    }
    moved = mark[0] not in (None, key) and UserSession.objects.filter(session_key=mark[0], user=request.user).update(
        **fields
    )
    if not moved:
        UserSession.objects.update_or_create(session_key=key, defaults={**fields, "user": request.user})
    request.session[SESSION_INDEX_MARK] = [key, now]


def session_forget(*, request) -> None:
    """Drop the index row of the session `request` signs out of."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key is not None:
        UserSession.objects.filter(session_key=key).delete()


def user_sessions_end(*, user: User) -> int:
    """End every indexed session of `user` (the receiver of `credentials_revoked`); how many were indexed."""
    store = session_store()
    rows = list(UserSession.objects.filter(user=user))
    for row in rows:
        store(session_key=row.session_key).delete()
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


@transaction.atomic
def session_end(*, actor: User, session: UserSession, request=None) -> None:
    """End one of the actor's own sessions (a browser left signed in elsewhere)."""
    if session.user_id != actor.pk:
        raise PermissionDenied(_("You may end only your own sessions."))
    session_store()(session_key=session.session_key).delete()
    session.delete()
    security_event_record(
        SecurityEvent.Kind.SESSIONS_REVOKED, request=request, actor=actor, user=actor, scope="one session"
    )


@transaction.atomic
def sessions_end_all(*, actor: User, request=None) -> int:
    """ "Sign out everywhere": end every session of the actor, this one included (API tokens have their own page)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))
    ended = user_sessions_end(user=actor)
    security_event_record(
        SecurityEvent.Kind.SESSIONS_REVOKED, request=request, actor=actor, user=actor, scope="every session"
    )
    return ended
