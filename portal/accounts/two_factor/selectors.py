"""Reads about two-factor sign-in: whether a user has it, what a session still owes, what the status page shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticToken

from confidentiality import policies
from portal.accounts.models import User
from portal.accounts.selectors import (  # noqa: F401 — re-exported: the 2FA pages read them here
    authenticators,
    two_factor_enabled,
    two_factor_required,
    users_with_two_factor_enabled,
)


class Step(StrEnum):
    """What a signed-in session must do before any page: prove the second factor, or set one up."""

    VERIFY = "verify"
    ENROL = "enrol"


def two_factor_step_due(user, *, enabled: bool) -> Step | None:
    """The step a signed-in session of `user` owes before any page; `enabled` is `two_factor_enabled(user)`
    (passed in: the session remembers it, see `flow`). None when it owes nothing."""
    if not getattr(user, "is_authenticated", False) or user.is_verified():
        return None
    if enabled:
        return Step.VERIFY
    if two_factor_required(user):
        return Step.ENROL
    return None


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    required: bool
    enrolled_at: datetime | None
    last_used_at: datetime | None
    backup_codes_left: int


def two_factor_status(*, actor: User) -> TwoFactorStatus:
    """The actor's own two-factor sign-in, for their settings page."""
    device = authenticators().filter(user=actor).order_by("pk").first()
    return TwoFactorStatus(
        enabled=device is not None,
        required=two_factor_required(actor),
        enrolled_at=device.created_at if device else None,
        last_used_at=device.last_used_at if device else None,
        backup_codes_left=StaticToken.objects.filter(device__user=actor).count() if device else 0,
    )


def two_factor_reset_target(*, actor: User, user_id: int) -> User:
    """The account whose two-factor sign-in `actor` wants to reset: 404 when `actor` may not see it, 403 when
    they see it but may not change it (their own account, or anyone's for a non-administrator)."""
    user = policies.get_visible_or_404(actor, User.objects.all(), pk=user_id)
    if not policies.can_edit(actor, user):
        raise PermissionDenied(_("Only administrators reset another account's two-factor sign-in."))
    return user
