"""Writes of list preferences and saved filters: each user's own rows only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from confidentiality import policies
from portal.preferences.models import ListPreference, SavedFilter


def list_preference_remember(*, actor, list_key: str, values: dict[str, str]) -> None:
    """Remember `values` (query-string keys and values) for `actor` on `list_key`, over what was kept before.

    Nothing is written for anonymous visitors, nor when nothing changes (a list opened again costs one read).
    """
    if not policies.viewer_for(actor).is_signed_in or not values:
        return
    current = ListPreference.objects.filter(user=actor, list_key=list_key).values_list("values", flat=True).first()
    if current is not None and {**current, **values} == current:
        return  # the usual case, a page of the list opened again: one read, no lock
    with transaction.atomic():
        row, _created = ListPreference.objects.select_for_update().get_or_create(user=actor, list_key=list_key)
        merged = {**row.values, **values}
        if merged != row.values:
            row.values = merged
            row.save(update_fields=["values", "updated"])


def list_preference_forget(*, actor, list_key: str, keys: tuple[str, ...]) -> None:
    """Forget what `actor` chose for `keys` on `list_key` (back to the list's defaults)."""
    if not policies.viewer_for(actor).is_signed_in:
        return
    with transaction.atomic():
        row = ListPreference.objects.select_for_update().filter(user=actor, list_key=list_key).first()
        if row is None or not any(key in row.values for key in keys):
            return
        row.values = {key: value for key, value in row.values.items() if key not in keys}
        row.save(update_fields=["values", "updated"])


def saved_filter_create(*, actor, list_key: str, name: str, query: str, shared: bool = False) -> SavedFilter:
    """A named filter of `actor` on `list_key`; `shared` shows it to `actor`'s organization."""
    viewer = policies.viewer_for(actor)
    if not policies.policy_for(SavedFilter).can_create(viewer):
        raise PermissionDenied
    if shared and not policies.policy_for(SavedFilter).can_share(viewer):
        raise ValidationError({"shared": _("Only members of an organization share filters with it.")})
    saved = SavedFilter(owner=actor, list_key=list_key, name=name.strip(), query=query, shared=shared)
    saved.full_clean()
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError:
        # Two tabs saving the same name at once: the constraint decides, as full_clean would have.
        raise ValidationError({"name": _("You already have a filter of this name on this list.")}) from None
    return saved


def saved_filter_delete(*, actor, saved_filter: SavedFilter) -> None:
    if not policies.can_delete(actor, saved_filter):
        raise PermissionDenied(_("Only the person who saved a filter deletes it."))
    saved_filter.delete()
