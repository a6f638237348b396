"""Who sees list preferences and saved filters (the policy registry's entries).

- A list preference: its user only (administrators too see only their own: it is nobody else's business).
- A saved filter: its owner; a shared one also every active member of the owner's organization. Committee
  experts and administrators belong to no organization: their filters stay their own. Only the owner deletes
  a filter.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from confidentiality.policies import OwnRowsPolicy, Policy, register
from confidentiality.viewers import Viewer
from portal.preferences.models import ListPreference, SavedFilter


class SavedFilterPolicy(Policy):
    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if not viewer.is_signed_in:
            return queryset.none()
        condition = Q(owner_id=viewer.user_id)
        if viewer.organization_id is not None:
            condition |= Q(
                shared=True, owner__is_active=True, owner__membership__organization_id=viewer.organization_id
            )
        return queryset.filter(condition)

    def can_change(self, viewer: Viewer, record: SavedFilter) -> bool:
        return viewer.is_signed_in and record.owner_id == viewer.user_id

    def can_share(self, viewer: Viewer) -> bool:
        """Sharing is with one's organization: only its members share."""
        return viewer.is_iro_user

    def can_create(self, viewer: Viewer, organization=None) -> bool:
        return viewer.is_signed_in


def register_policies() -> None:
    register(OwnRowsPolicy(ListPreference, administrators_see_all=False))
    register(SavedFilterPolicy(SavedFilter))
