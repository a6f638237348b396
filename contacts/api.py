"""REST API for points of contact and regional coordinators; `contacts.services` writes."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers

from confidentiality import policies
from confidentiality.models import Audience, State
from contacts import services
from contacts.filters import ContactFilterSet, CoordinatorFilterSet
from contacts.models import PointOfContact, RegionalCoordinator
from iros.models import Organization
from portal.api.fields import OrganizationAcronymField, RelatedCodesField, SharedWithField, country_list_field
from portal.api.schema import read_errors, write_errors
from portal.api.views import PortalModelViewSet, PortalReadOnlyViewSet


class ContactSerializer(serializers.ModelSerializer):
    organization = OrganizationAcronymField(
        required=False, help_text="Owner's acronym. Defaults to the caller's organization; cannot change later."
    )
    state = serializers.ChoiceField(choices=State.choices, required=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    shared_with = SharedWithField()

    class Meta:
        model = PointOfContact
        fields = [
            "id",
            "organization",
            "role",
            "person",
            "title",
            "email",
            "phone",
            "since",
            "until",
            "state",
            "audience",
            "shared_with",
            "created",
            "updated",
        ]
        read_only_fields = ["id", "created", "updated"]

    def get_validators(self):
        # "One standing contact per role" is the service's to decide (it answers field-keyed on `role`).
        return []

    def validate(self, attrs):
        instance = self.instance

        def current(name):
            return attrs[name] if name in attrs else getattr(instance, name, None)

        since, until = current("since"), current("until")
        if since and until and until < since:
            raise serializers.ValidationError({"until": _("The end date cannot be before the start date.")})
        if instance is not None and "organization" in attrs and attrs["organization"].pk != instance.organization_id:
            raise serializers.ValidationError({"organization": _("The owner of a record cannot change.")})
        return attrs


CONTACT_EXAMPLE = {
    "id": 7,
    "organization": "OSCE",
    "role": "assistance",
    "person": "Jane Doe",
    "title": "Senior adviser",
    "email": "jane.doe@example.org",
    "phone": "+43 1 000 0000",
    "since": "2011-06-01",
    "until": None,
    "state": "submitted",
    "audience": "all_iros",
    "shared_with": [],
    "created": "2024-05-01T09:00:00Z",
    "updated": "2024-05-01T09:00:00Z",
}


def _sharing_arguments(data: dict) -> dict:
    if data.get("shared_with", ()) is None:
        data.pop("shared_with")
    return data


@extend_schema_view(
    list=extend_schema(
        summary="Points of contact the caller may see",
        responses={200: ContactSerializer(many=True), **read_errors(detail=False)},
    ),
    retrieve=extend_schema(
        summary="One point of contact",
        responses={
            200: OpenApiResponse(ContactSerializer, examples=[OpenApiExample("Contact", value=CONTACT_EXAMPLE)]),
            **read_errors(detail=True),
        },
    ),
    create=extend_schema(
        summary="Designate a point of contact",
        description="Focal points for their own organization only (another organization: 403); administrators "
        "for any (give `organization`).",
        responses={201: ContactSerializer, **write_errors(detail=False)},
    ),
    update=extend_schema(
        summary="Replace a point of contact", responses={200: ContactSerializer, **write_errors(detail=True)}
    ),
    partial_update=extend_schema(
        summary="Change a point of contact",
        responses={200: ContactSerializer, **write_errors(detail=True)},
    ),
    destroy=extend_schema(
        summary="Delete a point of contact", responses={204: None, **write_errors(detail=True, body=False)}
    ),
)
class ContactViewSet(PortalModelViewSet):
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    search_fields = ["person", "title", "email", "organization__acronym"]
    ordering_fields = ["person", "role", "since", "until", "updated", "organization__acronym"]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        # contacts.selectors has no contact list yet; read through the one policy all the same.
        queryset = PointOfContact.objects.select_related("organization").order_by(
            "organization__acronym", "role", "-since", "pk"
        )
        return policies.visible_to(self.request.user, queryset).prefetch_related(
            Prefetch("shared_with", queryset=Organization.objects.order_by("acronym"))
        )

    def perform_create_service(self, data):
        data = _sharing_arguments(dict(data))
        organization = data.pop("organization", None)
        if organization is None:
            organization_id = policies.organization_id_of(self.request.user)
            if organization_id is None:
                raise serializers.ValidationError({"organization": [_("This field is required.")]})
            organization = Organization.objects.get(pk=organization_id)
        return services.contact_create(actor=self.request.user, organization=organization, **data)

    def perform_update_service(self, contact, data):
        data = _sharing_arguments(dict(data))
        data.pop("organization", None)
        return services.contact_update(actor=self.request.user, contact=contact, **data)

    def perform_destroy_service(self, contact):
        services.contact_delete(actor=self.request.user, contact=contact)


class CoordinatorSerializer(serializers.ModelSerializer):
    host = serializers.CharField(source="host.acronym", read_only=True)
    regions = RelatedCodesField(slug_field="code", max_length=3, read_only=True)
    states_served = country_list_field(read_only=True)

    class Meta:
        model = RegionalCoordinator
        fields = [
            "id",
            "host",
            "area",
            "regions",
            "states_served",
            "title",
            "person",
            "status",
            "since",
            "since_precision",
            "until",
            "until_precision",
            "notes",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Regional coordinators (public)",
        responses={200: CoordinatorSerializer(many=True), **read_errors(detail=False)},
    ),
    retrieve=extend_schema(
        summary="One regional coordinator", responses={200: CoordinatorSerializer, **read_errors(detail=True)}
    ),
)
class CoordinatorViewSet(PortalReadOnlyViewSet):
    serializer_class = CoordinatorSerializer
    filterset_class = CoordinatorFilterSet
    search_fields = ["area", "person", "title", "host__acronym"]
    ordering_fields = ["area", "status", "since", "host__acronym"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        from contacts.selectors import coordinator_list

        return coordinator_list(actor=self.request.user).order_by("host__acronym", "area", "pk")
