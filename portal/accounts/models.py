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
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]

    @property
    def is_committee(self) -> bool:
        return self.is_active and self.role == Role.COMMITTEE

    @property
    def is_portal_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)

    @property
    def is_focal_point(self) -> bool:
        return self.is_active and self.role == Role.FOCAL_POINT
