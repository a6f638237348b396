"""The one mechanism every list page uses for remembered table preferences and saved filters.

A list declares a `ListKind` (its key, its route, which query keys it remembers per user, each with the function
that cleans a value or refuses it, and which keys are never part of a filter) and registers it in its app's
`AppConfig.ready`. Its view then calls

- `list_params(request, kind)`: the query string with the remembered keys the request does not give filled in
  from the user's preference; those it gives are remembered (so a list opened without them looks as the user left
  it). A key given empty, or as `default`, forgets the choice;
- `saved_filters_panel(request, kind)`: the context of `includes/_saved_filters.html`, shown beside the filter
  form: the filters the user may apply (its own, and those shared in its organization), which one is in force,
  and the form that saves the current filter.

Applying a filter is opening the list with its query string: the list reads its rows through the visibility
policy for whoever applies it, so a filter shared by a colleague shows each reader only what they may see.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import reverse

from portal.preferences import selectors, services
from portal.preferences.forms import SavedFilterForm
from portal.preferences.models import QUERY_MAX_LENGTH, SavedFilter

FORGET = "default"


@dataclass(frozen=True)
class ListKind:
    key: str  # stored with preferences and filters: never rename
    url_name: str
    # Query keys remembered per user, each with its cleaner: the value to keep (canonical), or None to keep nothing.
    remembered: Mapping[str, Callable[[str], str | None]] = field(default_factory=dict)
    not_filters: tuple[str, ...] = ("page",)

    def url(self, query: str = "") -> str:
        return reverse(self.url_name) + (f"?{query}" if query else "")


_lists: dict[str, ListKind] = {}


def register_list(kind: ListKind) -> ListKind:
    _lists[kind.key] = kind
    return kind


def list_kind(key: str) -> ListKind:
    """The registered list of this key; LookupError for any other."""
    try:
        return _lists[key]
    except (KeyError, TypeError):
        raise LookupError(key) from None


# --- remembered preferences ------------------------------------------------------------------------------------


def list_params(request, kind: ListKind) -> QueryDict:
    """`request.GET`, with the user's remembered value of each remembered key the request does not give."""
    params = request.GET.copy()
    given = {key: ",".join(params.getlist(key)) for key in kind.remembered if key in params}
    forgotten = tuple(key for key, value in given.items() if value in ("", FORGET))
    kept = {}
    for key, value in given.items():
        cleaned = None if key in forgotten else kind.remembered[key](value)
        if cleaned is not None:
            kept[key] = cleaned
    if forgotten:
        services.list_preference_forget(actor=request.user, list_key=kind.key, keys=forgotten)
        for key in forgotten:
            params.pop(key)
    if kept:
        services.list_preference_remember(actor=request.user, list_key=kind.key, values=kept)
    missing = [key for key in kind.remembered if key not in params and key not in forgotten]
    if missing:
        stored = selectors.list_preference_for(actor=request.user, list_key=kind.key)
        for key in missing:
            if stored.get(key):
                params.setlist(key, stored[key].split(","))
    return params


# --- saved filters -------------------------------------------------------------------------------------------


def filter_query(params: QueryDict, kind: ListKind) -> str:
    """The filter part of a query string: without the page nor the remembered table settings, in a stable order
    (so the same filter reads the same however its keys were ordered), empty values dropped."""
    pairs = sorted(
        (key, value)
        for key in params
        if key not in kind.not_filters and key not in kind.remembered
        for value in params.getlist(key)
        if value != ""
    )
    query = QueryDict(mutable=True)
    for key, value in pairs:
        query.appendlist(key, value)
    return query.urlencode()


def saved_filters_panel(request, kind: ListKind) -> dict:
    """The context of `includes/_saved_filters.html` for `kind`'s list as `request` shows it."""
    current = filter_query(request.GET, kind)
    entries = []
    if request.user.is_authenticated:
        for saved in selectors.saved_filters_for(actor=request.user, list_key=kind.key):
            query = filter_query(QueryDict(saved.query), kind)
            entries.append(
                {
                    "filter": saved,
                    "url": kind.url(query),
                    "is_own": saved.owner_id == request.user.pk,
                    "is_active": bool(current) and query == current,
                }
            )
    can_save = request.user.is_authenticated and bool(current) and len(current) <= QUERY_MAX_LENGTH
    form = None
    if can_save:
        form = SavedFilterForm(
            initial={"list": kind.key, "query": current},
            can_share=selectors.can_share_filters(actor=request.user),
        )
    return {
        "saved_filters": {
            "kind": kind,
            "entries": entries,
            "form": form,
            "signed_in": request.user.is_authenticated,
        }
    }


def saved_filter_url(saved: SavedFilter) -> str:
    """Where applying `saved` leads: its list with its query string."""
    kind = list_kind(saved.list_key)
    return kind.url(filter_query(QueryDict(saved.query), kind))
