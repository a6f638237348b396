"""Reads of list preferences and saved filters, given the acting user (through the policy registry)."""

from __future__ import annotations

from django.db.models import QuerySet

from confidentiality import policies
from portal.preferences.models import ListPreference, SavedFilter


def list_preference_for(*, actor, list_key: str) -> dict[str, str]:
    """The query-string values `actor` left `list_key` with (empty for anonymous visitors and first visits)."""
    if not policies.viewer_for(actor).is_signed_in:
        return {}
    row = policies.visible_to(actor, ListPreference.objects.filter(list_key=list_key)).first()
    return dict(row.values) if row is not None else {}


def saved_filters_for(*, actor, list_key: str) -> QuerySet[SavedFilter]:
    """The filters of `list_key` that `actor` may apply: its own, and those shared in its organization."""
    return policies.visible_to(actor, SavedFilter.objects.filter(list_key=list_key)).select_related("owner")


def saved_filter_get_for(*, actor, filter_id) -> SavedFilter:
    """The saved filter, or Http404 when it is missing or hidden from `actor`."""
    return policies.get_visible_or_404(actor, SavedFilter.objects.select_related("owner"), pk=filter_id)


def can_share_filters(*, actor) -> bool:
    """Only members of an organization share filters (with it)."""
    return policies.policy_for(SavedFilter).can_share(policies.viewer_for(actor))
