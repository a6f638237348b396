"""Portal users and their roles. The Committee is an explicit role, never `is_superuser`."""

from django.contrib.auth.models import AbstractUser
from django.db import models
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
