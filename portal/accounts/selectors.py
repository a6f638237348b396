"""Reads about accounts."""

from django.conf import settings

from portal.accounts.models import Role

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
