"""Saving and deleting a list's named filters (applying one is opening the list with its query string)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from confidentiality import policies
from portal.preferences import lists, selectors, services
from portal.preferences.forms import SavedFilterForm


@login_required
@require_POST
def saved_filter_create_view(request):
    form = SavedFilterForm(request.POST, can_share=selectors.can_share_filters(actor=request.user))
    try:
        kind = lists.list_kind(request.POST.get("list"))
    except LookupError:
        raise Http404 from None
    if form.is_valid():
        query = lists.filter_query(QueryDict(form.cleaned_data["query"]), kind)
        try:
            saved = services.saved_filter_create(
                actor=request.user,
                list_key=kind.key,
                name=form.cleaned_data["name"],
                query=query,
                shared=form.cleaned_data.get("shared", False),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(kind.url(query))
        messages.success(request, _("The filter “%(name)s” was saved.") % {"name": saved.name})
        return redirect(lists.saved_filter_url(saved))
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect(kind.url(lists.filter_query(QueryDict(request.POST.get("query", "")), kind)))


@login_required
@require_http_methods(["GET", "POST"])
def saved_filter_delete_view(request, filter_id: int):
    """Asks first (GET), deletes on POST; only the owner may (others who see a shared filter get 403)."""
    saved = selectors.saved_filter_get_for(actor=request.user, filter_id=filter_id)
    if not policies.can_delete(request.user, saved):
        raise PermissionDenied(_("Only the person who saved a filter deletes it."))
    try:
        back = lists.list_kind(saved.list_key).url()
    except LookupError:
        back = "/"
    if request.method == "POST":
        services.saved_filter_delete(actor=request.user, saved_filter=saved)
        messages.success(request, _("The filter “%(name)s” was deleted.") % {"name": saved.name})
        return redirect(back)
    return render(request, "preferences/saved_filter_delete.html", {"saved": saved, "cancel_url": back})
