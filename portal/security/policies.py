"""Who reads the security event log: administrators only (the registry's entry)."""

from django.db.models import QuerySet

from confidentiality.policies import Policy, register
from confidentiality.viewers import Viewer
from portal.security.models import SecurityEvent


class AdministratorsOnlyPolicy(Policy):
    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        return queryset if viewer.is_admin else queryset.none()

    def can_change(self, viewer: Viewer, record) -> bool:
        return False  # an append-only log: nobody changes a row


def register_policies() -> None:
    register(AdministratorsOnlyPolicy(SecurityEvent))
