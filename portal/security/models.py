"""The security event log: who signed in, failed, was locked out, changed a password, a role or a token — append-only.

A row names people and what happened, never a secret (no password, token, TOTP code or invitation link).
Database triggers refuse UPDATE and TRUNCATE, and DELETE of any row younger than the retention period, for every
role (see the migration): the log outlives the application's own mistakes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        LOCKED_OUT = "locked_out", _("Locked out")
        LOCKOUT_CLEARED = "lockout_cleared", _("Lockout cleared")
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Two-factor sign-in enrolled")
        TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor sign-in disabled")
        TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor sign-in reset")
        TWO_FACTOR_FAILED = "two_factor_failed", _("Two-factor code refused")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
        ROLE_CHANGED = "role_changed", _("Role or organization changed")
        DEACTIVATED = "deactivated", _("Account deactivated")
        REACTIVATED = "reactivated", _("Account reactivated")
        SESSIONS_REVOKED = "sessions_revoked", _("Sessions and tokens revoked")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    # Who did it (None: the system, or nobody known, as for a failed sign-in) and to whom (the account concerned).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    # The username as typed or as it was at the time: failed sign-ins name no account, and accounts are renamed.
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "-at"], name="security_event_kind_idx")]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"
