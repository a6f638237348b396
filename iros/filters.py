"""FilterSets shared by the HTML lists, the REST API and the exports: no request-specific logic here."""

from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import ContactRole, RegionalCoordinator
from contacts.selectors import designated_organization_ids
from iros.fields import organization_filter, region_filter, thematic_area_filter
from iros.models import (
    Event,
    Interaction,
    Organization,
    Region,
    event_search_vector,
    interaction_search_vector,
    organization_search_vector,
)
from portal.kernel.fulltext import keyword_filter
from portal.preferences.lists import ListKind


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Keywords"))
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, label=_("Kind"), empty_label=_("Any kind"))
    region = region_filter(method="filter_region", label=_("Region served"))
    thematic = thematic_area_filter(
        field_name="mandate_areas", label=_("Mandate area"), empty_label=_("Any mandate area")
    )
    coordinator = django_filters.ChoiceFilter(
        choices=(("true", _("Yes")), ("false", _("No"))),
        method="filter_coordinator",
        label=_("Hosts a regional coordinator"),
        empty_label=_("Either"),
    )
    designation = django_filters.ChoiceFilter(
        choices=(
            ("complete", _("Both contacts designated")),
            ("incomplete", _("A contact is missing")),
            ("none", _("No contact designated")),
        ),
        method="filter_designation",
        label=_("Points of contact (resolution 1977)"),
        empty_label=_("Any designation status"),
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
        return keyword_filter(queryset, organization_search_vector(), value, prefix_of="acronym", tiebreak=("acronym",))

    def filter_region(self, queryset, name, value: Region | None):
        if value is None:
            return queryset
        return queryset.filter(pk__in=Region.objects.within(value).serving_organization_ids())

    def filter_coordinator(self, queryset, name, value):
        if not value:
            return queryset
        # Imported here: contacts depends on iros, not the other way round.

        hosts = RegionalCoordinator.objects.exclude(status=RegionalCoordinator.Status.ENDED).values("host_id")
        return queryset.filter(pk__in=hosts) if value == "true" else queryset.exclude(pk__in=hosts)

    def filter_designation(self, queryset, name, value):
        # Designation status is public (resolution 1977): submitted contacts whose designation stands.

        if value == "complete":
            for role in ContactRole.values:
                queryset = queryset.filter(pk__in=designated_organization_ids(role=role))
            return queryset
        if value == "incomplete":
            missing = Q(pk__in=[])
            for role in ContactRole.values:
                missing |= ~Q(pk__in=designated_organization_ids(role=role))
            return queryset.filter(missing)
        if value == "none":
            return queryset.exclude(pk__in=designated_organization_ids())
        return queryset


class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number PostgreSQL can turn into a date (0, -5 or 10**10 would be a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class EventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Keywords"))
    year = YearFilter(field_name="start_date", lookup_expr="year", label=_("Year"))
    region = region_filter(method="filter_region")
    organization = organization_filter(method="filter_organization", label=_("Participating organization"))

    class Meta:
        model = Event
        fields = ["q", "year", "region", "organization"]

    def filter_q(self, queryset, name, value):
        return keyword_filter(queryset, event_search_vector(), value, tiebreak=("-start_date", "-pk"))

    def filter_region(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(region__in=Region.objects.within(value))

    def filter_organization(self, queryset, name, value: Organization | None):
        if value is None:
            return queryset
        # A subquery rather than a join, so annotations that count participants stay right.
        participations = Event.participants.through.objects.filter(organization=value).values("event_id")
        return queryset.filter(pk__in=participations)


# --- the IGO tables -----------------------------------------------------------------------------------------


FIRST_YEAR = 2004  # resolution 1540 (2004): nothing in the IGO tables is older


def _year_choices() -> list[tuple[int, int]]:
    # Fixed years rather than the years that have interactions: a list of years must not reveal hidden rows.
    return [(year, year) for year in range(date.today().year + 1, FIRST_YEAR - 1, -1)]


class IgoTableFilterSet(django_filters.FilterSet):
    """The IGO table's filters. `year` and `kind` narrow the interactions counted, `region` the rows."""

    year = django_filters.ChoiceFilter(
        choices=_year_choices, method="filter_year", label=_("Year"), empty_label=_("Any year")
    )
    region = region_filter(method="filter_region", label=_("Region served"))
    kind = django_filters.ChoiceFilter(
        choices=Interaction.Kind.choices,
        method="filter_kind",
        label=_("Kind of interaction"),
        empty_label=_("Any kind"),
    )

    class Meta:
        model = Interaction
        fields = ["year", "region", "kind"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(date__year=int(value)) if value else queryset

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind=value) if value else queryset

    def filter_region(self, queryset, name, value):
        if value is None:
            return queryset
        involved = Interaction.organizations.through.objects.filter(
            organization_id__in=Region.objects.within(value).serving_organization_ids()
        ).values("interaction_id")
        return queryset.filter(pk__in=involved)


class InteractionFilterSet(IgoTableFilterSet):
    """The interaction list behind an IGO table cell: the table's filters plus one organization and free text."""

    organization = organization_filter(method="filter_organization")
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Keywords"))

    class Meta:
        model = Interaction
        fields = ["organization", "year", "region", "kind", "q"]

    def filter_organization(self, queryset, name, value):
        if value is None:
            return queryset
        involved = Interaction.organizations.through.objects.filter(organization=value).values("interaction_id")
        return queryset.filter(pk__in=involved)

    def filter_q(self, queryset, name, value):
        return keyword_filter(queryset, interaction_search_vector(), value, tiebreak=("-date", "-pk"))


# The interaction list's saved filters (portal.preferences).
INTERACTION_LIST = ListKind(key="interactions", url_name="igo:interactions")
