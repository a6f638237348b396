"""Writes on two-factor sign-in: enrolment, the second step, backup codes, turning it off, an administrator's reset.

Each change, and each refused code, is recorded in the security log (never a code or a secret). A refused code
is also counted by django-otp's throttling (each failure doubles the wait before the device accepts another try),
so that count is committed before the refusal is raised.

Backup codes are twelve digits, unlike django-otp's default letters, so that one numeric field takes both an
authenticator's six-digit code and a backup code: the length says which device to ask.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import device_classes
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from confidentiality import policies
from portal.accounts.models import User
from portal.accounts.selectors import two_factor_required
from portal.accounts.two_factor.selectors import two_factor_enabled
from portal.security.models import SecurityEvent
from portal.security.services import security_event_record

BACKUP_CODE_COUNT = 10
BACKUP_CODE_DIGITS = 12
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"


def code_normalize(code: str) -> str:
    """A code as typed, without the spaces and hyphens people copy along with it."""
    return "".join(code.split()).replace("-", "")


def _check(device: Device, code: str) -> str | None:
    """Ask `device` (locked) to accept `code`; the reason for refusing it, or None when accepted."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return _("Too many wrong codes: wait a minute, then try again.")
    if not device.verify_token(code):
        return _("This code is not valid. Check it and try again.")
    return None


def _refused(user: User, reason: str, *, step: str, request) -> ValidationError:
    security_event_record(SecurityEvent.Kind.TWO_FACTOR_FAILED, request=request, actor=user, user=user, step=step)
    return ValidationError({"code": reason})


def _backup_codes_replace(user: User) -> list[str]:
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME)
    device.token_set.all().delete()
    device.throttle_reset()
    codes = [f"{secrets.randbelow(10**BACKUP_CODE_DIGITS):0{BACKUP_CODE_DIGITS}d}" for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _devices_delete(user: User) -> bool:
    """Delete every device of `user` (authenticators, backup codes, unconfirmed ones); was two-factor on?"""
    enabled = two_factor_enabled(user)
    for model in device_classes():
        model.objects.filter(user=user).delete()
    return enabled


@transaction.atomic
def two_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """The user's authenticator waiting to be confirmed: made at the first visit of the enrolment page, then the
    same one until confirmed, so that the QR code does not change when the page is shown again."""
    if two_factor_enabled(user):
        raise ValidationError(_("Two-factor sign-in is already on for this account."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def two_factor_enrolment_confirm(*, user: User, code: str, request=None) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor sign-in on once the authenticator shows it holds the secret (its current code); return the
    device and the new backup codes, which the caller shows once."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None or two_factor_enabled(user):
            raise ValidationError(_("This set-up has expired: start again."))
        refusal = _check(device, code_normalize(code))
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = _backup_codes_replace(user)
            security_event_record(SecurityEvent.Kind.TWO_FACTOR_ENROLLED, request=request, actor=user, user=user)
    if refusal is not None:
        raise _refused(user, refusal, step="enrolment", request=request)
    return device, codes


def two_factor_verify(*, user: User, code: str, request=None) -> Device:
    """The second sign-in step: the device that accepts `code` (an authenticator's code, or a backup code, which
    is then used up); ValidationError when none does."""
    code = code_normalize(code)
    model = {6: TOTPDevice, BACKUP_CODE_DIGITS: StaticDevice}.get(len(code)) if code.isdigit() else None
    with transaction.atomic():
        device = None
        if model is not None:
            device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        refusal = _check(device, code) if device is not None else _("This code is not valid. Check it and try again.")
    if refusal is not None:
        raise _refused(user, refusal, step="sign_in", request=request)
    return device


@transaction.atomic
def two_factor_backup_codes_regenerate(*, user: User) -> list[str]:
    """New backup codes for `user`; the old ones stop working."""
    if not two_factor_enabled(user):
        raise ValidationError(_("Turn on two-factor sign-in first."))
    return _backup_codes_replace(user)


@transaction.atomic
def two_factor_disable(*, user: User, request=None) -> bool:
    """Turn off the user's own two-factor sign-in, unless their role requires it; was it on?"""
    if two_factor_required(user):
        raise PermissionDenied(_("Your role requires two-factor sign-in: it cannot be turned off."))
    disabled = _devices_delete(user)
    if disabled:
        security_event_record(SecurityEvent.Kind.TWO_FACTOR_DISABLED, request=request, actor=user, user=user)
    return disabled


@transaction.atomic
def two_factor_reset(*, actor: User, user: User, request=None) -> bool:
    """An administrator removes another account's two-factor sign-in (a lost phone, lost backup codes): where
    the role requires it, the account must enrol again at its next page. Was it on?"""
    if not policies.policy_for(User).can_reset_two_factor(policies.viewer_for(actor), user):
        raise PermissionDenied(_("Only administrators reset another account's two-factor sign-in."))
    reset = _devices_delete(user)
    if reset:
        security_event_record(SecurityEvent.Kind.TWO_FACTOR_RESET, request=request, actor=actor, user=user)
    return reset
