"""FilterSets shared by the HTML lists, the REST API and the exports: no request-specific logic here."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from iros.models import Event, Organization, Region, ThematicArea


def _organizations_serving(region: Region) -> QuerySet:
    # A region covers its sub-regions (M49 nests at most three levels below "World").
    return Organization.regions.through.objects.filter(
        Q(region=region) | Q(region__parent=region) | Q(region__parent__parent=region)
    ).values("organization_id")


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name or acronym"))
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, label=_("Kind"), empty_label=_("Any kind"))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        method="filter_region",
        label=_("Region served"),
        empty_label=_("Any region"),
    )
    thematic = django_filters.ModelChoiceFilter(
        queryset=ThematicArea.objects.all(),
        to_field_name="code",
        field_name="mandate_areas",
        label=_("Mandate area"),
        empty_label=_("Any mandate area"),
    )
    coordinator = django_filters.ChoiceFilter(
        choices=(("true", _("Yes")), ("false", _("No"))),
        method="filter_coordinator",
        label=_("Hosts a regional coordinator"),
        empty_label=_("Either"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("acronym", "acronym"), ("name", "name"), ("kind", "kind")),
        field_labels={"acronym": _("Acronym"), "name": _("Name"), "kind": _("Kind")},
        label=_("Sort by"),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "region", "thematic", "coordinator"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(acronym__icontains=value) | Q(name__icontains=value))

    def filter_region(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(pk__in=_organizations_serving(value))

    def filter_coordinator(self, queryset, name, value):
        if not value:
            return queryset
        # Imported here: contacts depends on iros, not the other way round.
        from contacts.models import RegionalCoordinator

        hosts = RegionalCoordinator.objects.exclude(status=RegionalCoordinator.Status.ENDED).values("host_id")
        return queryset.filter(pk__in=hosts) if value == "true" else queryset.exclude(pk__in=hosts)


class EventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Title, place or theme"))
    year = django_filters.NumberFilter(field_name="start_date", lookup_expr="year", label=_("Year"))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        field_name="region",
        label=_("Region"),
        empty_label=_("Any region"),
    )
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        to_field_name="acronym",
        method="filter_organization",
        label=_("Participating organization"),
        empty_label=_("Any organization"),
    )

    class Meta:
        model = Event
        fields = ["q", "year", "region", "organization"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value) | Q(theme__icontains=value))

    def filter_organization(self, queryset, name, value):
        if value is None:
            return queryset
        # A subquery rather than a join, so annotations that count participants stay right.
        participations = Event.participants.through.objects.filter(organization=value).values("event_id")
        return queryset.filter(pk__in=participations)
