"""Reads of organizations and events, given the acting user.

Organizations, regions, thematic areas and events are public reference data (DESIGN.md, "Who sees what"), so
these selectors restrict nothing; panels that show submissions read through the confidentiality policy instead.
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from iros.filters import EventFilterSet, OrganizationFilterSet
from iros.models import Event, Organization, Region, ThematicArea


def organization_list(*, actor, filters: Mapping[str, Any] | None = None) -> QuerySet[Organization]:
    queryset = Organization.objects.prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("name")),
        Prefetch("mandate_areas", queryset=ThematicArea.objects.all()),
    ).order_by("acronym")
    if filters:
        queryset = OrganizationFilterSet(filters, queryset=queryset).qs
    return queryset


def organization_get(*, actor, acronym: str) -> Organization:
    organization = (
        Organization.objects.filter(acronym=acronym)
        .prefetch_related(
            Prefetch("regions", queryset=Region.objects.order_by("name")),
            Prefetch("mandate_areas", queryset=ThematicArea.objects.all()),
        )
        .first()
    )
    if organization is None:
        raise Http404("No such organization.")
    return organization


def organization_events(*, actor, organization: Organization) -> QuerySet[Event]:
    return organization.events.select_related("region").order_by("-start_date", "title")


def event_list(*, actor, filters: Mapping[str, Any] | None = None) -> QuerySet[Event]:
    queryset = (
        Event.objects.select_related("region")
        .annotate(named_participants=Count("participants", distinct=True))
        .order_by("-start_date", "title")
    )
    if filters:
        queryset = EventFilterSet(filters, queryset=queryset).qs
    return queryset


def event_get(*, actor, event_id: int) -> Event:
    event = (
        Event.objects.filter(pk=event_id)
        .select_related("region")
        .prefetch_related(
            Prefetch("participants", queryset=Organization.objects.order_by("acronym")),
            "thematic_areas",
        )
        .first()
    )
    if event is None:
        raise Http404("No such event.")
    return event
