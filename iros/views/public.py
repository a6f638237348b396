"""Public pages of the organizations directory and the outreach events."""

from django.shortcuts import render

from contacts.selectors import coordinator_list_for_host
from iros.filters import EventFilterSet, OrganizationFilterSet
from iros.profile import organization_panels
from iros.selectors import event_get, event_list, organization_events, organization_get, organization_list
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
    return render(request, "iros/event_list.html", context)


def event_detail_view(request, event_id: int):
    event = event_get(actor=request.user, event_id=event_id)
    return render(request, "iros/event_detail.html", {"event": event})
