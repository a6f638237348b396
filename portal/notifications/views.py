"""The notifications pages: the inbox (mark one or all read) and the settings (how each kind reaches the person).

Every page is the signed-in person's own; views validate, call one selector or service and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.notifications import selectors, services
from portal.notifications.forms import NotificationPreferencesForm

ENTRIES_PER_PAGE = 25


@login_required
@require_GET
def inbox_view(request):
    unread_only = request.GET.get("show") == "unread"
    rows = selectors.notification_inbox_for(actor=request.user, unread_only=unread_only)
    page = Paginator(rows, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "entries": selectors.notification_entries(actor=request.user, notifications=page.object_list),
        "unread_only": unread_only,
    }
    return render(request, "notifications/inbox.html", context)


def _back_to_inbox(request):
    """Back where the button was pressed (the inbox's page and filter), never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read_view(request, notification_id: int):
    services.notification_mark_read(actor=request.user, notification_id=notification_id)
    return _back_to_inbox(request)


@login_required
@require_POST
def mark_all_read_view(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)d notification(s) marked as read.") % {"count": count})
    return _back_to_inbox(request)


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    preferences = selectors.notification_preferences_for(actor=request.user)
    form = NotificationPreferencesForm(request.POST or None, preferences=preferences)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_set(actor=request.user, deliveries=form.deliveries())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form, "preferences": preferences})
