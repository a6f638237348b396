"""Portal users and their roles. The Committee is an explicit role, never `is_superuser`."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMITTEE = "committee", _("Committee expert")
    FOCAL_POINT = "focal_point", _("IRO focal point")
    MEMBER = "member", _("IRO member")
    ADMIN = "admin", _("Administrator")


# Roles that belong to an organization (a Membership row) and the ones that never do.
ORGANIZATION_ROLES = frozenset({Role.FOCAL_POINT, Role.MEMBER})


class Language(models.TextChoices):
    """The six official languages of the United Nations, each named in itself (a reader finds their own)."""

    ARABIC = "ar", "العربية"
    CHINESE = "zh-hans", "中文"
    ENGLISH = "en", "English"
    FRENCH = "fr", "Français"
    RUSSIAN = "ru", "Русский"
    SPANISH = "es", "Español"


class User(AbstractUser):
    """A portal account. What a role may see and do is decided by `confidentiality.policies` (the viewer it
    works out from `role` and the membership), never by properties here."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    # Empty: no preference saved, the browser's language (cookie, then Accept-Language) decides.
    language = models.CharField(_("language"), max_length=7, choices=Language.choices, blank=True)

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


def invitation_secret_hash(secret: str) -> str:
    """What the database keeps of an invitation link's secret. The secret is 256 random bits: a plain SHA-256
    cannot be reversed or guessed, and needs no salt or slow hash (those protect passwords people choose)."""
    return hashlib.sha256(secret.encode("utf-8", errors="surrogatepass")).hexdigest()


class Invitation(models.Model):
    """An offer of an account with a role (and organization), redeemed once through a link sent by e-mail.

    The link carries a secret that only the e-mail holds; the row keeps its hash. Pending until it is accepted,
    revoked or past `expires`; re-sending replaces the secret and the expiry.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("e-mail address"))
    # Set when the account's name was chosen for the invitee (createportaluser --invite); else the invitee chooses.
    username = models.CharField(_("username"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organization = models.ForeignKey(
        "iros.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organization"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created = models.DateTimeField(_("sent"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("account"),
    )
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # The guard behind services.user_role_validate: IRO roles have an organization, the others none.
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(ORGANIZATION_ROLES), organization__isnull=False)
                    | (~Q(role__in=sorted(ORGANIZATION_ROLES)) & Q(organization__isnull=True))
                ),
                name="invitation_role_organization",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @classmethod
    def status_condition(cls, status: str) -> Q:
        """The rows whose `status` is `status`, as a filter (the property, in SQL)."""
        open_ = Q(accepted_at__isnull=True, revoked_at__isnull=True)
        return {
            cls.Status.ACCEPTED: Q(accepted_at__isnull=False),
            cls.Status.REVOKED: Q(revoked_at__isnull=False),
            cls.Status.EXPIRED: open_ & Q(expires__lte=timezone.now()),
            cls.Status.PENDING: open_ & Q(expires__gt=timezone.now()),
        }[status]

    @classmethod
    def pending_condition(cls) -> Q:
        return cls.status_condition(cls.Status.PENDING)


class UserSession(models.Model):
    """The index of a user's signed-in sessions, so that they can be listed and ended one by one or all at once.

    The session itself (its data, its expiry) stays in Django's session store; a row here whose session is gone
    is stale and ignored. Written at sign-in and refreshed now and then by `SessionIndexMiddleware`.
    """

    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("user")
    )
    created = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-last_seen", "-pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user} @ {self.ip_address or '?'}"
