"""REST API for organizations, reference codes, outreach events, agreements and interactions; `iros.services` writes."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, F, OuterRef, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers

from confidentiality import policies
from iros import selectors, services
from iros.filters import EventFilterSet, OrganizationFilterSet
from iros.models import Agreement, Event, Interaction, Organization, Region, ThematicArea
from portal.api.fields import RelatedCodesField, country_list_field
from portal.api.filters import PortalOrderingFilter, PortalSearchFilter
from portal.api.schema import read_errors, reading_schema, write_errors
from portal.api.serializers import ModelRulesSerializerMixin
from portal.api.views import (
    PortalModelViewSet,
    PortalReadOnlyViewSet,
    PortalViewSet,
    ServiceCreateMixin,
    ServiceUpdateMixin,
)
from programs.models import Program

# --- reference codes ----------------------------------------------------------------------------------------


class ReferenceNamesMixin(serializers.Serializer):
    """`name` in the request's language (`Accept-Language`, else English) and `names` in every language."""

    name = serializers.CharField(
        source="localized_name", read_only=True, help_text="The name in the language of Accept-Language (else English)."
    )
    names = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text='The name in every language that has one, by language code ("en" always).',
    )


class ThematicAreaSerializer(ReferenceNamesMixin, serializers.ModelSerializer):
    class Meta:
        model = ThematicArea
        fields = ["code", "family", "name", "names", "position"]
        read_only_fields = fields


class ThematicAreaFilterSet(django_filters.FilterSet):
    family = django_filters.ChoiceFilter(choices=ThematicArea.Family.choices)

    class Meta:
        model = ThematicArea
        fields = ["family"]


@extend_schema_view(
    **reading_schema(ThematicAreaSerializer, list="Thematic areas (public)", retrieve="One thematic area, by code")
)
class ThematicAreaViewSet(PortalReadOnlyViewSet):
    serializer_class = ThematicAreaSerializer
    filterset_class = ThematicAreaFilterSet
    queryset = ThematicArea.objects.all()
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    # Names in every language: a French caller finds "Afrique" as an English one finds "Africa".
    search_fields = ["code", "name", "name_translations"]
    ordering_fields = ["code", "name", "family", "position"]


class RegionSerializer(ReferenceNamesMixin, serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Region
        fields = ["code", "name", "names", "parent"]
        read_only_fields = fields


class RegionFilterSet(django_filters.FilterSet):
    parent = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), to_field_name="code")

    class Meta:
        model = Region
        fields = ["parent"]


@extend_schema_view(
    **reading_schema(RegionSerializer, list="UN M49 regions (public)", retrieve="One region, by M49 code")
)
class RegionViewSet(PortalReadOnlyViewSet):
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    queryset = Region.objects.select_related("parent").order_by("code")
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{3}"
    # Names in every language: a French caller finds "Afrique" as an English one finds "Africa".
    search_fields = ["code", "name", "name_translations"]
    ordering_fields = ["code", "name"]


# --- organizations ------------------------------------------------------------------------------------------


class OrganizationSerializer(ModelRulesSerializerMixin, serializers.ModelSerializer):
    regions = RelatedCodesField(slug_field="code", max_length=3, help_text="UN M49 codes of the regions served.")
    mandate_areas = RelatedCodesField(slug_field="code", max_length=32, help_text="Thematic area codes.")
    member_states = country_list_field()

    class Meta:
        model = Organization
        fields = [
            "acronym",
            "name",
            "kind",
            "regions",
            "seat",
            "website",
            "description",
            "member_states",
            "mandate_areas",
        ]
        extra_kwargs = {"description": {"max_length": 20000}}

    unchangeable_fields = ("acronym",)

    def get_validators(self):
        # Uniqueness is the service's (and the database's) to decide; the error comes back field-keyed.
        return []

    def get_fields(self):
        fields = super().get_fields()
        fields["acronym"].validators = [v for v in fields["acronym"].validators if not hasattr(v, "queryset")]
        return fields


ORGANIZATION_EXAMPLE = {
    "acronym": "OSCE",
    "name": "Organization for Security and Co-operation in Europe",
    "kind": "regional",
    "regions": ["150"],
    "seat": "Vienna",
    "website": "https://www.osce.org/",
    "description": "",
    "member_states": [],
    "mandate_areas": ["op3a"],
}


@extend_schema_view(
    list=extend_schema(
        summary="Organizations (public directory)",
        responses={200: OrganizationSerializer(many=True), **read_errors(detail=False)},
    ),
    retrieve=extend_schema(
        summary="One organization, by acronym",
        responses={
            200: OpenApiResponse(
                OrganizationSerializer, examples=[OpenApiExample("Organization", value=ORGANIZATION_EXAMPLE)]
            ),
            **read_errors(detail=True),
        },
    ),
    create=extend_schema(
        summary="Add an organization (administrators)",
        responses={201: OrganizationSerializer, **write_errors(detail=False)},
    ),
    update=extend_schema(
        summary="Replace an organization's profile",
        description="A focal point changes its own organization's seat, website, description, regions, mandate "
        "areas and member states; administrators also its name and kind. The acronym never changes.",
        responses={200: OrganizationSerializer, **write_errors(detail=True)},
    ),
    partial_update=extend_schema(
        summary="Change an organization's profile",
        examples=[OpenApiExample("New seat", value={"seat": "Vienna"}, request_only=True)],
        responses={200: OrganizationSerializer, **write_errors(detail=True)},
    ),
)
class OrganizationViewSet(ServiceCreateMixin, ServiceUpdateMixin, PortalViewSet):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    # The FilterSet carries its own `ordering` (shared with the web list), so DRF's ordering backend stays out.
    filter_backends = [DjangoFilterBackend, PortalSearchFilter]
    lookup_field = "acronym"
    lookup_value_regex = r"[A-Z0-9-]+"
    search_fields = ["acronym", "name", "seat"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_rows(self):
        return selectors.organization_list(actor=self.request.user)

    def perform_create_service(self, data):
        return services.organization_create(actor=self.request.user, **data)

    def perform_update_service(self, organization, data):
        data = dict(data)
        data.pop("acronym", None)
        return services.organization_update(actor=self.request.user, organization=organization, **data)


# --- events -------------------------------------------------------------------------------------------------


class EventSerializer(ModelRulesSerializerMixin, serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True, help_text="M49 code."
    )
    thematic_areas = RelatedCodesField(slug_field="code", max_length=32)
    participants = RelatedCodesField(
        slug_field="acronym", max_length=32, help_text="Acronyms of the participating organizations, where known."
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "start_date",
            "end_date",
            "place",
            "country",
            "organizer",
            "theme",
            "region",
            "thematic_areas",
            "participants",
            "attendance_count",
            "description",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"description": {"max_length": 20000}, "country": {"min_length": 2}}


@extend_schema_view(
    **reading_schema(EventSerializer, list="Outreach events (public)", retrieve="One event"),
    create=extend_schema(
        summary="Record an event (Committee, administrators)",
        responses={201: EventSerializer, **write_errors(detail=False)},
    ),
    update=extend_schema(summary="Replace an event", responses={200: EventSerializer, **write_errors(detail=True)}),
    partial_update=extend_schema(
        summary="Change an event", responses={200: EventSerializer, **write_errors(detail=True)}
    ),
    destroy=extend_schema(summary="Delete an event", responses={204: None, **write_errors(detail=True, body=False)}),
)
class EventViewSet(PortalModelViewSet):
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    search_fields = ["title", "place", "theme", "organizer"]
    ordering_fields = ["start_date", "title"]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_rows(self):
        return selectors.event_list(actor=self.request.user).prefetch_related(
            Prefetch("participants", queryset=Organization.objects.order_by("acronym")), "thematic_areas"
        )

    def perform_create_service(self, data):
        return services.event_create(actor=self.request.user, **data)

    def perform_update_service(self, event, data):
        return services.event_update(actor=self.request.user, event=event, **data)

    def perform_destroy_service(self, event):
        services.event_delete(actor=self.request.user, event=event)


# --- agreements (Committee, administrators and the parties) ------------------------------------------------


class AgreementFilterSet(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(), to_field_name="acronym", method="filter_organization"
    )
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices)
    committee_is_party = django_filters.BooleanFilter()
    signed_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Agreement
        fields = ["organization", "kind", "committee_is_party", "signed_on"]

    def filter_organization(self, queryset, name, value: Organization):
        # A subquery keeps one row per agreement.
        parties = Agreement.parties.through.objects.filter(organization=value).values("agreement_id")
        return queryset.filter(pk__in=parties)


class AgreementSerializer(serializers.ModelSerializer):
    parties = RelatedCodesField(
        slug_field="acronym", max_length=32, required=True, help_text="Acronyms of the organizations party to it."
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title",
            "kind",
            "parties",
            "committee_is_party",
            "signed_on",
            "signed_on_precision",
            "summary",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"summary": {"max_length": 20000}}


AGREEMENT_EXAMPLE = {
    "id": 3,
    "title": "Memorandum of understanding on capacity building",
    "kind": "mou",
    "parties": ["OSCE", "UNODA"],
    "committee_is_party": False,
    "signed_on": "2011-12-01",
    "signed_on_precision": "month",
    "summary": "",
}


@extend_schema_view(
    **reading_schema(
        AgreementSerializer,
        list="Agreements the caller may see",
        retrieve="One agreement",
        description="Committee experts and administrators see every agreement; an IRO user those its organization "
        "is party to. Filters: `organization` (a party's acronym), `kind`, `committee_is_party`, "
        "`signed_on_after`/`signed_on_before`.",
        example=AGREEMENT_EXAMPLE,
    ),
    create=extend_schema(
        summary="Record an agreement (Committee, administrators)",
        description="`parties` names at least one organization; an unknown acronym answers 400 on `parties`.",
        examples=[
            OpenApiExample(
                "Unknown party",
                value={"parties": ["Unknown organizations: NOPE."]},
                response_only=True,
                status_codes=["400"],
            )
        ],
        responses={201: AgreementSerializer, **write_errors(detail=False)},
    ),
    update=extend_schema(
        summary="Replace an agreement",
        description="The parties see their agreements but may not change them (403).",
        responses={200: AgreementSerializer, **write_errors(detail=True)},
    ),
    partial_update=extend_schema(
        summary="Change an agreement", responses={200: AgreementSerializer, **write_errors(detail=True)}
    ),
)
class AgreementViewSet(ServiceCreateMixin, ServiceUpdateMixin, PortalViewSet):
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
    search_fields = ["title", "summary"]
    ordering_fields = ["signed_on", "title", "kind"]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_rows(self):
        queryset = Agreement.objects.prefetch_related(
            Prefetch("parties", queryset=Organization.objects.order_by("acronym"))
        ).order_by(F("signed_on").desc(nulls_last=True), "title", "id")
        return policies.visible_to(self.request.user, queryset)

    def perform_create_service(self, data):
        return services.agreement_create(actor=self.request.user, **data)

    def perform_update_service(self, agreement, data):
        return services.agreement_update(actor=self.request.user, agreement=agreement, **data)


# --- interactions (the IGO tables) --------------------------------------------------------------------------


class InteractionFilterSet(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(), to_field_name="acronym", method="filter_organization"
    )
    kind = django_filters.ChoiceFilter(choices=Interaction.Kind.choices)
    date = django_filters.DateFromToRangeFilter()
    public = django_filters.BooleanFilter()
    event = django_filters.NumberFilter(field_name="event_id", min_value=1, max_value=2**63 - 1)

    class Meta:
        model = Interaction
        fields = ["organization", "kind", "date", "public", "event"]

    def filter_organization(self, queryset, name, value: Organization):
        involved = Interaction.organizations.through.objects.filter(organization=value).values("interaction_id")
        return queryset.filter(pk__in=involved)


class LinkedIdField(serializers.IntegerField):
    """The id of a linked record, shown only when the caller may see that record (else `null`)."""

    def __init__(self, *, visible_attr: str | None, **kwargs):
        self.visible_attr = visible_attr
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        linked_id = getattr(instance, f"{self.field_name}_id")
        if linked_id is None or (self.visible_attr and not getattr(instance, self.visible_attr, False)):
            return None
        return linked_id

    def to_representation(self, value):
        return None if value is None else int(value)


class InteractionSerializer(ModelRulesSerializerMixin, serializers.ModelSerializer):
    organizations = RelatedCodesField(
        slug_field="acronym", max_length=32, required=True, help_text="Acronyms of the organizations involved."
    )
    event = LinkedIdField(visible_attr=None, help_text="An outreach event (public).")
    program = LinkedIdField(visible_attr="program_visible", help_text="A program the caller may see, or null.")
    agreement = LinkedIdField(visible_attr="agreement_visible", help_text="An agreement the caller may see, or null.")

    class Meta:
        model = Interaction
        fields = [
            "id",
            "date",
            "date_precision",
            "kind",
            "organizations",
            "summary",
            "outcome",
            "follow_up",
            "follow_up_due",
            "event",
            "program",
            "agreement",
            "public",
            "created",
        ]
        read_only_fields = ["id", "created"]
        extra_kwargs = {name: {"max_length": 20000} for name in ("summary", "outcome", "follow_up")}


@extend_schema_view(
    **reading_schema(
        InteractionSerializer,
        list="Interactions the caller may see (the IGO tables)",
        retrieve="One interaction",
        description="Committee experts and administrators see every row; an IRO user the rows involving its "
        "organization; everyone the rows flagged public.",
    ),
    create=extend_schema(
        summary="Record an interaction (Committee, administrators)",
        description="A linked program or agreement the caller cannot see answers 400 “Unknown program.”, like a "
        "missing one.",
        responses={201: InteractionSerializer, **write_errors(detail=False)},
    ),
    update=extend_schema(
        summary="Replace an interaction", responses={200: InteractionSerializer, **write_errors(detail=True)}
    ),
    partial_update=extend_schema(
        summary="Change an interaction", responses={200: InteractionSerializer, **write_errors(detail=True)}
    ),
    destroy=extend_schema(
        summary="Delete an interaction", responses={204: None, **write_errors(detail=True, body=False)}
    ),
)
class InteractionViewSet(PortalModelViewSet):
    serializer_class = InteractionSerializer
    filterset_class = InteractionFilterSet
    filter_backends = [DjangoFilterBackend, PortalSearchFilter, PortalOrderingFilter]
    search_fields = ["summary", "outcome"]
    ordering_fields = ["date", "kind", "created"]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_rows(self):
        user = self.request.user
        queryset = Interaction.objects.prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.order_by("acronym"))
        ).order_by("-date", "-id")
        # Whether the caller may see each linked record, in the same query: ids of hidden ones are never shown.
        return policies.visible_to(user, queryset).annotate(
            program_visible=Exists(policies.visible_to(user, Program.objects.filter(pk=OuterRef("program_id")))),
            agreement_visible=Exists(policies.visible_to(user, Agreement.objects.filter(pk=OuterRef("agreement_id")))),
        )

    def perform_create_service(self, data):
        return services.interaction_create(actor=self.request.user, **data)

    def perform_update_service(self, interaction, data):
        return services.interaction_update(actor=self.request.user, interaction=interaction, **data)

    def perform_destroy_service(self, interaction):
        services.interaction_delete(actor=self.request.user, interaction=interaction)
