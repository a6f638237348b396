"""Who sees portal accounts and their API tokens: administrators all of them, everyone else only their own (the
registry's entries)."""

from django.db.models import QuerySet

from confidentiality.policies import Policy, register
from confidentiality.viewers import Viewer
from portal.accounts.models import ApiToken, User


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


class ApiTokenPolicy(Policy):
    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if viewer.is_admin:
            return queryset
        if viewer.is_signed_in:
            return queryset.filter(user_id=viewer.user_id)
        return queryset.none()

    def can_change(self, viewer: Viewer, record: ApiToken) -> bool:
        # Revoking is the only change a token takes.
        return self.can_revoke_tokens_of(viewer, record.user_id)

    @staticmethod
    def can_revoke_tokens_of(viewer: Viewer, user_id: int) -> bool:
        """The owner and administrators (who support users, or close a leak) revoke a user's tokens."""
        return viewer.is_admin or (viewer.is_signed_in and viewer.user_id == user_id)


def register_policies() -> None:
    register(UserPolicy(User))
    register(ApiTokenPolicy(ApiToken))
