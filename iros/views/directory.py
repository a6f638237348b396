"""The organizations directory (list, profile and its editing by the organization) and the outreach events."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from confidentiality import policies
from contacts.selectors import coordinator_list_for_host
from iros.filters import EventFilterSet, OrganizationFilterSet
from iros.forms import OrganizationProfileForm
from iros.selectors import (
    event_get,
    event_list,
    may_change_identity,
    organization_events,
    organization_get,
    organization_list,
    organization_panels,
)
from iros.services import organization_update
from portal.kernel.lists import filtered_page

ORGANIZATIONS_PER_PAGE = 25
EVENTS_PER_PAGE = 20


def organization_list_view(request):
    context = filtered_page(
        request,
        OrganizationFilterSet,
        organization_list(actor=request.user),
        per_page=ORGANIZATIONS_PER_PAGE,
        not_filters=("page", "ordering"),
    )
    context.update(organizations=context["page_obj"].object_list, ordering=request.GET.get("ordering", "acronym"))
    return render(request, "iros/organization_list.html", context)


def organization_detail_view(request, acronym: str):
    organization = organization_get(actor=request.user, acronym=acronym)
    return render(
        request,
        "iros/organization_detail.html",
        {
            "organization": organization,
            "coordinators": coordinator_list_for_host(actor=request.user, host=organization),
            "events": organization_events(actor=request.user, organization=organization),
            **organization_panels(actor=request.user, organization=organization),
        },
    )


def event_list_view(request):
    context = filtered_page(request, EventFilterSet, event_list(actor=request.user), per_page=EVENTS_PER_PAGE)
    context["events"] = context["page_obj"].object_list
    context["can_record"] = policies.can_record_committee_work(request.user)
    return render(request, "iros/event_list.html", context)


def event_detail_view(request, event_id: int):
    event = event_get(actor=request.user, event_id=event_id)
    return render(request, "iros/event_detail.html", {"event": event})


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit_view(request, acronym: str):
    organization = organization_get(actor=request.user, acronym=acronym)
    if not policies.can_edit(request.user, organization):
        raise PermissionDenied(_("Only the organization's focal points and administrators edit its profile."))
    is_admin = may_change_identity(request.user, organization)
    if request.method == "POST":
        form = OrganizationProfileForm(request.POST, is_admin=is_admin)
        if form.is_valid():
            try:
                organization_update(actor=request.user, organization=organization, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request, _("The profile of %(acronym)s was saved.") % {"acronym": organization.acronym}
                )
                return redirect("iros:detail", acronym=organization.acronym)
    else:
        form = OrganizationProfileForm(initial=OrganizationProfileForm.initial_for(organization), is_admin=is_admin)
    return render(request, "iros/organization_form.html", {"organization": organization, "form": form})
