"""Form fields and list filters that offer organizations, regions and thematic areas by their codes.

Beside the models, below every layer that builds forms or filters (confidentiality's audience form, the apps'
forms and FilterSets): they read nothing but `iros.models`. Organizations are offered as "ACRONYM — Name" and
chosen by acronym, regions by M49 code, thematic areas by code, as in URLs and the API. Regions are offered in
the alphabetical order of their names in the reader's language; thematic areas keep their families' order.
"""

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from iros.models import Organization, Region, ThematicArea
from portal.kernel.collation import alphabetical_key
from portal.kernel.forms import SearchableSelectMultiple
from portal.kernel.reference_choices import reference_choices

# Where the searchable selects of long lists ask for their options as the user types (iros/views/options.py).
ORGANIZATION_OPTIONS = reverse_lazy("iros:options", kwargs={"kind": "organizations"})
COUNTRY_OPTIONS = reverse_lazy("iros:options", kwargs={"kind": "countries"})


class _AlphabeticalChoices:
    """The rows' choices sorted by their labels in the active language (the database sorts by the English name);
    the empty and null choices stay first."""

    def __iter__(self):
        rows = []
        # Lazily, as Django's iterator: a widget that looks only at the first (empty) choice runs no query.
        for choice in super().__iter__():
            if isinstance(choice[0], ModelChoiceIteratorValue):
                rows.append(choice)
            else:
                yield choice
        yield from sorted(rows, key=lambda choice: alphabetical_key(str(choice[1])))


class _KeptChoices:
    """A model choice field's options as the field would list them, kept per language by
    `portal.kernel.reference_choices` when the field offers every row of its model (reference data, the same for
    every viewer); a field whose queryset was narrowed (a focal point's own organization) reads its rows as usual.
    The options' values are plain strings (the codes and acronyms the field's `to_field_name` names), which is
    all a select renders."""

    def _kept_name(self) -> str | None:
        query = self.queryset.query
        if query.where or query.is_sliced or query.distinct or self.queryset._prefetch_related_lookups:
            return None
        field = self.field
        return "|".join(
            str(part)
            for part in (
                type(self).__qualname__,
                type(field).__qualname__,
                query.model._meta.label,
                field.to_field_name,
                query.order_by,
                query.default_ordering,
                field.empty_label,
                getattr(field, "null_label", None),
            )
        )

    def _kept(self):
        name = self._kept_name()
        if name is None:
            return None
        listed = super().__iter__  # the field's own options: what is kept
        return reference_choices(name, lambda: [(str(value), str(label)) for value, label in listed()])

    def __iter__(self):
        kept = self._kept()
        yield from super().__iter__() if kept is None else kept

    def __len__(self):
        kept = self._kept()
        return super().__len__() if kept is None else len(kept)

    def __bool__(self):
        kept = self._kept()
        return super().__bool__() if kept is None else bool(kept)


class _AlphabeticalIterator(_KeptChoices, _AlphabeticalChoices, ModelChoiceIterator):
    pass


class _AlphabeticalFilterIterator(_KeptChoices, _AlphabeticalChoices, django_filters.fields.ModelChoiceIterator):
    pass


class _KeptFilterIterator(_KeptChoices, django_filters.fields.ModelChoiceIterator):
    pass


class _KeptFilterField(django_filters.fields.ModelChoiceField):
    iterator = _KeptFilterIterator


class _KeptChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _KeptFilterField


def country_choices() -> list[tuple[str, str]]:
    """(ISO code, name in the active language) of every country, in the reader's alphabetical order: the options
    of a country select, built once per language."""
    return reference_choices("countries", lambda: list(countries))


class RegionChoiceField(forms.ModelChoiceField):
    """One region, chosen by M49 code, offered alphabetically in the reader's language."""

    iterator = _AlphabeticalIterator

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Region.objects.all())
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)


class _RegionFilterField(django_filters.fields.ModelChoiceField):
    iterator = _AlphabeticalFilterIterator


class _RegionFilter(django_filters.ModelChoiceFilter):
    field_class = _RegionFilterField


def region_choices() -> list[tuple[str, str]]:
    """(M49 code, name in the active language) of every region, alphabetically: a plain choice field's choices."""
    return [(region.code, region.localized_name) for region in Region.in_alphabetical_order(Region.objects.all())]


def thematic_area_choices() -> list[tuple[str, str]]:
    """(code, name in the active language) of every thematic area, in reference order: a plain choice field's
    choices, grouped on the page by `thematic_area_groups`."""
    return [(area.code, area.localized_name) for area in ThematicArea.objects.all()]


def thematic_area_groups(bound_field) -> list[tuple[str, list]]:
    """A bound field's thematic-area checkboxes as (family name, checkboxes), families and areas in reference
    order (`ThematicArea.objects`), for includes/_thematic_checkboxes.html: every form groups them alike."""
    family_of = dict(ThematicArea.objects.values_list("code", "family"))
    groups: dict[str, list] = {family: [] for family in ThematicArea.Family.values}
    for checkbox in bound_field:
        groups.setdefault(family_of.get(str(checkbox.data["value"]), ""), []).append(checkbox)
    labels = dict(ThematicArea.Family.choices)
    return [(str(labels.get(family, "")), checkboxes) for family, checkboxes in groups.items() if checkboxes]


class _NamesNotTranslated:
    """A select whose options name records as their owners wrote them ("OSCE — Organization for Security…"):
    each option says so (`translate="no"`), the empty choice stays translatable."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value not in ("", None):
            option["attrs"]["translate"] = "no"
        return option


class OrganizationSelect(_NamesNotTranslated, forms.Select):
    pass


class OrganizationSelectMultiple(_NamesNotTranslated, SearchableSelectMultiple):
    """Organizations to choose several of: searchable, its options asked as the user types."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices, options_url=ORGANIZATION_OPTIONS)
        # Also the options and chips that the script draws (static/js/searchable-select.js).
        self.attrs["data-names-not-translated"] = True


class _OrganizationLabels:
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Organization.objects.order_by("acronym"))
        kwargs.setdefault("to_field_name", "acronym")
        widget = kwargs.get("widget") or self.widget
        widget = widget() if isinstance(widget, type) else widget
        multiple = isinstance(widget, forms.SelectMultiple)
        kwargs["widget"] = (OrganizationSelectMultiple if multiple else OrganizationSelect)(attrs=widget.attrs)
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
    return _KeptChoiceFilter(queryset=Organization.objects.all(), to_field_name="acronym", **options)


def region_filter(**options) -> django_filters.ModelChoiceFilter:
    """A FilterSet field choosing one region by M49 code (`?region=014`); its method decides "within"."""
    options.setdefault("label", _("Region"))
    options.setdefault("empty_label", _("Any region"))
    return _RegionFilter(queryset=Region.objects.all(), to_field_name="code", **options)


def thematic_area_filter(**options) -> django_filters.ModelChoiceFilter:
    """A FilterSet field choosing one thematic area by code (`?thematic_area=nuclear`)."""
    options.setdefault("label", _("Thematic area"))
    options.setdefault("empty_label", _("Any thematic area"))
    return _KeptChoiceFilter(queryset=ThematicArea.objects.all(), to_field_name="code", **options)
