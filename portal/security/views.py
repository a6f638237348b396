"""The security pages: the log (filtered, paginated, exported) and the current sign-in lockouts, with "Clear".

Administrators only: the selectors answer 404 to anyone else, as for a missing page. Views validate, call one
selector or service and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.kernel.downloads import spreadsheet_response
from portal.kernel.lists import filtered_page
from portal.security import selectors, services
from portal.security.exports import security_log_sheet
from portal.security.filters import SecurityEventFilterSet

EVENTS_PER_PAGE = 50


@login_required
@require_GET
def security_log_view(request):
    events = selectors.security_event_list(actor=request.user)
    context = filtered_page(request, SecurityEventFilterSet, events, per_page=EVENTS_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    context["export_query"] = query.urlencode()
    return render(request, "security/event_list.html", context)


@login_required
@require_GET
def security_log_export_view(request, extension: str):
    """The log under the current filter as CSV or XLSX (`extension` comes from the route)."""
    events = SecurityEventFilterSet(request.GET or None, queryset=selectors.security_event_list(actor=request.user))
    return spreadsheet_response(security_log_sheet(events.qs), extension=extension, stem="security-log")


@login_required
@require_GET
def lockout_list_view(request):
    return render(request, "security/lockout_list.html", {"lockouts": selectors.lockout_list(actor=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def lockout_clear_view(request, attempt_id: int):
    """GET asks to confirm; POST clears the lockout of the attempt's username and address."""
    attempt = selectors.lockout_get(actor=request.user, attempt_id=attempt_id)
    if request.method == "POST":
        services.lockout_clear(actor=request.user, attempt=attempt, request=request)
        messages.success(
            request,
            _("“%(username)s” may sign in again from %(address)s.")
            % {"username": attempt.username or "—", "address": attempt.ip_address or "—"},
        )
        return redirect("security:lockouts")
    return render(request, "security/lockout_clear.html", {"attempt": attempt})
