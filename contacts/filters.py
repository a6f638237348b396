"""FilterSets shared by the HTML lists, the REST API and the exports: no request-specific logic here.

They narrow querysets that already hold only what the viewer may see (`contacts.selectors`).
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from confidentiality.models import Audience, State
from contacts.models import ContactRole, PointOfContact, RegionalCoordinator
from iros.models import Organization, Region


class ContactFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Name, title or e-mail"))
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        to_field_name="acronym",
        label=_("Organization"),
        empty_label=_("Any organization"),
    )
    role = django_filters.ChoiceFilter(choices=ContactRole.choices, label=_("Role"), empty_label=_("Any role"))
    state = django_filters.ChoiceFilter(choices=State.choices, label=_("State"), empty_label=_("Any state"))
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label=_("Audience"), empty_label=_("Any audience"))
    current = django_filters.BooleanFilter(
        field_name="until", lookup_expr="isnull", label=_("Designation still standing")
    )

    class Meta:
        model = PointOfContact
        fields = ["q", "organization", "role", "state", "audience", "current"]

    def filter_q(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(person__icontains=value) | Q(title__icontains=value) | Q(email__icontains=value))


class CoordinatorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Area, person or title"))
    host = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        to_field_name="acronym",
        label=_("Host organization"),
        empty_label=_("Any organization"),
    )
    status = django_filters.ChoiceFilter(
        choices=RegionalCoordinator.Status.choices, label=_("Status"), empty_label=_("Any status")
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        method="filter_region",
        label=_("Region"),
        empty_label=_("Any region"),
    )

    class Meta:
        model = RegionalCoordinator
        fields = ["q", "host", "status", "region"]

    def filter_q(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(area__icontains=value) | Q(person__icontains=value) | Q(title__icontains=value))

    def filter_region(self, queryset, name, value: Region):
        # A subquery keeps one row per coordinator.
        serving = RegionalCoordinator.regions.through.objects.filter(region=value).values("regionalcoordinator_id")
        return queryset.filter(pk__in=serving)
