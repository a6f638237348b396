"""Serializer fields shared by the apps' APIs: codes and acronyms of related records, and the sharing fields."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from confidentiality import policies
from iros.models import Organization

MAX_LIST_ITEMS = 300


def listed(relation: str) -> str:
    """Where a list viewset prefetches `relation` to: `Prefetch(relation, to_attr=listed(relation))` gives each
    record a plain list. A prefetch into the relation's manager instead builds a queryset per record and relation
    when it hands the rows out — most of the Python time of a page of 50 programs with five relations."""
    return f"{relation}_listed"


def codes_attr(relation: str) -> str:
    return f"{relation}_codes"


def attach_related_codes(records: list, relation: str, slug_field: str) -> None:
    """Give each record of a page the codes of its many-to-many `relation` (`slug_field` of each related row), in
    the related model's default order, read as plain values from the link table in one query: no model instance
    per related row, no prefetch machinery. `RelatedCodesField` shows them."""
    if not records:
        return
    field = type(records[0])._meta.get_field(relation)
    through = field.remote_field.through
    to = field.m2m_reverse_field_name()  # the link table's column to the related row
    ordering = [
        f"-{to}__{name[1:]}" if name.startswith("-") else f"{to}__{name}" for name in field.related_model._meta.ordering
    ]
    codes: dict[int, list[str]] = {record.pk: [] for record in records}
    rows = through.objects.filter(**{f"{field.m2m_field_name()}__in": list(codes)}).order_by(*ordering)
    for record_id, code in rows.values_list(field.m2m_field_name(), f"{to}__{slug_field}"):
        codes[record_id].append(code)
    for record in records:
        record.__dict__[codes_attr(relation)] = codes[record.pk]


def related_rows(instance, relation: str):
    """The related rows of `relation`: the list prefetched with `listed(relation)`, else the relation's own."""
    rows = instance.__dict__.get(listed(relation))
    return rows if rows is not None else getattr(instance, relation).all()


class RelatedCodesField(serializers.ListField):
    """A many-to-many relation as a list of codes (thematic areas, regions) or acronyms (organizations).

    Input stays a plain list of strings: the service resolves it and answers unknown codes with a field-keyed
    validation error. Output reads the (prefetched) relation.
    """

    def __init__(self, *, slug_field: str, max_length: int, **kwargs):
        self.slug_field = slug_field
        kwargs.setdefault("max_length", MAX_LIST_ITEMS)
        kwargs.setdefault("required", False)
        super().__init__(child=serializers.CharField(max_length=max_length), **kwargs)

    def get_attribute(self, instance):
        codes = instance.__dict__.get(codes_attr(self.source))  # attach_related_codes
        if codes is not None:
            return codes
        return [getattr(related, self.slug_field) for related in related_rows(instance, self.source)]

    def to_representation(self, codes):
        return list(codes)


def country_list_field(**kwargs) -> serializers.ListField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("max_length", MAX_LIST_ITEMS)
    kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 codes.")
    return serializers.ListField(child=serializers.CharField(min_length=2, max_length=2), **kwargs)


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string"},
        "nullable": True,
        "description": "Acronyms of the organizations the record is shared with (audience `selected` only). "
        "Returned only to the owner organization, the Committee and administrators; `null` for everyone else.",
    }
)
class SharedWithField(serializers.ListField):
    """`shared_with` of a submission (or, with `record_attr`, of the submission a record belongs to)."""

    def __init__(self, *, record_attr: str | None = None, **kwargs):
        self.record_attr = record_attr
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("max_length", MAX_LIST_ITEMS)
        super().__init__(child=serializers.CharField(max_length=32), **kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.record_attr) if self.record_attr else instance

    def to_representation(self, record):
        request = self.context.get("request")
        if not policies.can_see_sharing_details(getattr(request, "user", None), record):
            return None
        acronyms = record.__dict__.get(codes_attr("shared_with"))  # attach_related_codes
        if acronyms is None:
            acronyms = [organization.acronym for organization in related_rows(record, "shared_with")]
        return sorted(acronyms)


class OrganizationAcronymField(serializers.SlugRelatedField):
    """An organization by acronym. Organizations are public reference data, so "unknown" reveals nothing."""

    default_error_messages = {
        "does_not_exist": "Unknown organization “{value}”.",
        "invalid": "Give an organization acronym.",
    }

    def __init__(self, **kwargs):

        kwargs.setdefault("queryset", Organization.objects.all())
        super().__init__(slug_field="acronym", **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


def sharing_arguments(data: dict) -> dict:
    """A submission payload as service arguments: `shared_with: null` means "unchanged", like leaving it out."""
    if data.get("shared_with", ()) is None:
        data.pop("shared_with")
    return data
