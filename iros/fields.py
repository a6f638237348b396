"""Form fields and list filters that offer organizations, regions and thematic areas by their codes.

Beside the models, below every layer that builds forms or filters (confidentiality's audience form, the apps'
forms and FilterSets): they read nothing but `iros.models`. Organizations are offered as "ACRONYM — Name" and
chosen by acronym, regions by M49 code, thematic areas by code, as in URLs and the API.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from iros.models import Organization, Region, ThematicArea


class _OrganizationLabels:
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Organization.objects.order_by("acronym"))
        kwargs.setdefault("to_field_name", "acronym")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.acronym} — {obj.name}"


class OrganizationChoiceField(_OrganizationLabels, forms.ModelChoiceField):
    pass


class OrganizationsChoiceField(_OrganizationLabels, forms.ModelMultipleChoiceField):
    pass


def organization_filter(**options) -> django_filters.ModelChoiceFilter:
    """A FilterSet field choosing one organization by acronym (`?organization=OSCE`)."""
    options.setdefault("label", _("Organization"))
    options.setdefault("empty_label", _("Any organization"))
    return django_filters.ModelChoiceFilter(queryset=Organization.objects.all(), to_field_name="acronym", **options)


def region_filter(**options) -> django_filters.ModelChoiceFilter:
    """A FilterSet field choosing one region by M49 code (`?region=014`); its method decides "within"."""
    options.setdefault("label", _("Region"))
    options.setdefault("empty_label", _("Any region"))
    return django_filters.ModelChoiceFilter(queryset=Region.objects.order_by("name"), to_field_name="code", **options)


def thematic_area_filter(**options) -> django_filters.ModelChoiceFilter:
    """A FilterSet field choosing one thematic area by code (`?thematic_area=nuclear`)."""
    options.setdefault("label", _("Thematic area"))
    options.setdefault("empty_label", _("Any thematic area"))
    return django_filters.ModelChoiceFilter(queryset=ThematicArea.objects.all(), to_field_name="code", **options)
