"""Public pages of the organizations directory and the outreach events."""

from django.core.paginator import Paginator
from django.shortcuts import render

from contacts.selectors import coordinator_list_for_host
from iros.filters import EventFilterSet, OrganizationFilterSet
from iros.profile import organization_panels
from iros.selectors import event_get, event_list, organization_events, organization_get, organization_list

ORGANIZATIONS_PER_PAGE = 25
EVENTS_PER_PAGE = 20


def organization_list_view(request):
    filterset = OrganizationFilterSet(request.GET or None, queryset=organization_list(actor=request.user))
    page = Paginator(filterset.qs, ORGANIZATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "iros/organization_list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "organizations": page.object_list,
            "is_filtered": any(value for key, value in request.GET.items() if key not in ("page", "ordering")),
            "ordering": request.GET.get("ordering", "acronym"),
        },
    )


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
    filterset = EventFilterSet(request.GET or None, queryset=event_list(actor=request.user))
    page = Paginator(filterset.qs, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "iros/event_list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "events": page.object_list,
            "is_filtered": any(value for key, value in request.GET.items() if key != "page"),
        },
    )


def event_detail_view(request, event_id: int):
    event = event_get(actor=request.user, event_id=event_id)
    return render(request, "iros/event_detail.html", {"event": event})
