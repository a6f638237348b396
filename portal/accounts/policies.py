"""Who sees portal accounts: administrators all of them, everyone else only their own (the registry's entry)."""

from django.db.models import QuerySet

from confidentiality.policies import Policy, register
from confidentiality.viewers import Viewer
from portal.accounts.models import User


class UserPolicy(Policy):
    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if viewer.is_admin:
            return queryset
        if viewer.is_signed_in:
            return queryset.filter(pk=viewer.user_id)
        return queryset.none()

    def can_change(self, viewer: Viewer, record: User) -> bool:
        # Administrators manage accounts, never their own through these tools (no self-lockout).
        return viewer.is_admin and record.pk != viewer.user_id


def register_policies() -> None:
    register(UserPolicy(User))
