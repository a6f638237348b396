"""Portal users and their roles. The Committee is an explicit role, never `is_superuser`."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMITTEE = "committee", _("Committee expert")
    FOCAL_POINT = "focal_point", _("IRO focal point")
    MEMBER = "member", _("IRO member")
    ADMIN = "admin", _("Administrator")


# Roles that belong to an organization (a Membership row) and the ones that never do.
ORGANIZATION_ROLES = frozenset({Role.FOCAL_POINT, Role.MEMBER})


class User(AbstractUser):
    """A portal account. What a role may see and do is decided by `confidentiality.policies` (the viewer it
    works out from `role` and the membership), never by properties here."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]


class ApiToken(models.Model):
    """A named API key (`Authorization: Token <key>`) that expires and can be revoked.

    Only a SHA-256 digest of the key is stored: the key is shown once, when it is made, and a copy of the database
    yields no usable key. Revoked tokens are kept, so their owner sees when and why each one stopped working.
    """

    class RevokedBecause(models.TextChoices):
        # The `credentials_revoked` reasons (portal.accounts.signals), plus the revocation of this one token.
        PASSWORD_CHANGED = "password_changed", _("password changed")
        PASSWORD_RESET = "password_reset", _("password reset")
        DEACTIVATED = "deactivated", _("account deactivated")
        ROLE_CHANGED = "role_changed", _("role or organization changed")
        REVOKED_BY_USER = "revoked_by_user", _("revoked by its owner")
        REVOKED_BY_ADMIN = "revoked_by_admin", _("revoked by an administrator")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("account"))
    name = models.CharField(_("name"), max_length=100)
    key_digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # None: made on the command line (createportaluser --token), for automation.
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    expires_at = models.DateTimeField(_("expires"))
    # Recorded at most once per `portal.accounts.services.TOKEN_USE_PRECISION`: not one write per request.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_because = models.CharField(_("revoked because"), max_length=32, choices=RevokedBecause.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_because="")
                | models.Q(revoked_at__isnull=False) & ~models.Q(revoked_because=""),
                name="api_token_revoked_with_a_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def digest_of(key: str) -> str:
        # A key is 160 random bits: a plain SHA-256 suffices (no salt or slow hash, which guard guessable passwords).
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired
