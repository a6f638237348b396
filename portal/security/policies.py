"""Who reads the security event log and the sign-in lockouts: administrators only (the registry's entries)."""

from axes.models import AccessAttempt
from django.db.models import QuerySet

from confidentiality.policies import Policy, policy_for, register, viewer_for
from confidentiality.viewers import Viewer
from portal.security.models import SecurityEvent


class AdministratorsOnlyPolicy(Policy):
    """Rows only administrators see and act on (a lockout is cleared by deleting its attempts)."""

    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        return queryset if self.opens_to(viewer) else queryset.none()

    def opens_to(self, viewer: Viewer) -> bool:
        """May the viewer see rows of this kind at all? The pages that list them are missing for anyone else."""
        return viewer.is_admin


class AppendOnlyLogPolicy(AdministratorsOnlyPolicy):
    def can_change(self, viewer: Viewer, record) -> bool:
        return False  # an append-only log: nobody changes a row


def opens_to(user, model) -> bool:
    """May `user` see rows of `model` (a kind registered with an `AdministratorsOnlyPolicy`) at all?"""
    return policy_for(model).opens_to(viewer_for(user))


def register_policies() -> None:
    register(AppendOnlyLogPolicy(SecurityEvent))
    register(AdministratorsOnlyPolicy(AccessAttempt))
