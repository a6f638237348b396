"""FilterSets shared by the HTML list, the REST API and the exports: no request-specific logic here.

Each filter narrows a queryset that already holds only what the viewer may see (`programs.selectors`); none of
them decides visibility.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from confidentiality.models import Audience, State
from iros.fields import country_choices, organization_filter, region_filter, thematic_area_filter
from iros.models import Organization, Region, ThematicArea
from portal.kernel.fulltext import keyword_filter
from programs.models import Program, program_ids_matching, program_search_document


class ProgramFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Keywords"))
    organization = organization_filter()
    partner = organization_filter(
        method="filter_partner", label=_("Partner organization"), empty_label=_("Any partner")
    )
    thematic_area = thematic_area_filter(method="filter_thematic_area")
    region = region_filter(method="filter_region")
    country = django_filters.ChoiceFilter(
        choices=country_choices, method="filter_country", label=_("Beneficiary country"), empty_label=_("Any country")
    )
    status = django_filters.ChoiceFilter(choices=Program.Status.choices, label=_("Status"), empty_label=_("Any status"))
    state = django_filters.ChoiceFilter(choices=State.choices, label=_("State"), empty_label=_("Any state"))
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label=_("Audience"), empty_label=_("Any audience"))
    start_date = django_filters.DateFromToRangeFilter(label=_("Starts between"))
    end_date = django_filters.DateFromToRangeFilter(label=_("Ends between"))
    updated_after = django_filters.IsoDateTimeFilter(field_name="updated", lookup_expr="gte", label=_("Updated since"))

    class Meta:
        model = Program
        fields = [
            "q",
            "organization",
            "partner",
            "thematic_area",
            "region",
            "country",
            "status",
            "state",
            "audience",
            "start_date",
            "end_date",
            "updated_after",
        ]

    def filter_q(self, queryset, name, value: str):
        return keyword_filter(
            queryset, program_search_document(), value, matching_ids=program_ids_matching, tiebreak=("-updated", "-pk")
        )

    # Relations are matched with subqueries rather than joins: one row per program, no DISTINCT, right counts.
    def filter_partner(self, queryset, name, value: Organization):
        partnerships = Program.partners.through.objects.filter(organization=value).values("program_id")
        return queryset.filter(pk__in=partnerships)

    def filter_thematic_area(self, queryset, name, value: ThematicArea):
        tagged = Program.thematic_areas.through.objects.filter(thematicarea=value).values("program_id")
        return queryset.filter(pk__in=tagged)

    def filter_region(self, queryset, name, value: Region):
        located = Program.regions.through.objects.filter(region__in=Region.objects.within(value)).values("program_id")
        return queryset.filter(pk__in=located)

    def filter_country(self, queryset, name, value: str):
        return queryset.filter(beneficiary_countries__contains=[value])
