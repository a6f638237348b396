"""REST API for points of contact, demarches, designation status and coordinators; `contacts.services` writes."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from confidentiality.models import Audience
from contacts import services
from contacts.filters import ContactFilterSet, CoordinatorFilterSet, DemarcheFilterSet, DesignationFilterSet
from contacts.kinds import CONTACT
from contacts.models import ContactRole, Demarche, PointOfContact, RegionalCoordinator
from contacts.selectors import (
    contact_list_for,
    coordinator_list,
    demarche_list_for,
    designation_organizations,
    designation_status,
)
from iros.models import Organization
from portal.api.fields import (
    MAX_LIST_ITEMS,
    OrganizationAcronymField,
    RelatedCodesField,
    country_list_field,
)
from portal.api.permissions import PolicyPermission
from portal.api.schema import read_errors, reading_schema, submission_schema, write_errors
from portal.api.serializers import (
    SUBMISSION_READ_ONLY_FIELDS,
    ModelRulesSerializerMixin,
    SubmissionSerializer,
    submission_fields,
)
from portal.api.views import (
    PolicyQuerysetMixin,
    PortalAPIMixin,
    PortalReadOnlyViewSet,
    PortalViewSet,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    SubmissionViewSet,
)


class ContactSerializer(SubmissionSerializer):
    class Meta:
        model = PointOfContact
        fields = submission_fields("role", "person", "title", "email", "phone", "since", "until")
        read_only_fields = SUBMISSION_READ_ONLY_FIELDS

    def get_validators(self):
        # "One standing contact per role" is the service's to decide (it answers field-keyed on `role`).
        return []


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


class ContactReplaceSerializer(serializers.Serializer):
    """Replacing a standing point of contact: the end of its designation and its successor's details."""

    until = serializers.DateField(help_text="The day the current designation ends.")
    person = serializers.CharField(max_length=200, help_text="The successor.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    since = serializers.DateField(
        required=False, allow_null=True, help_text="Designated since; defaults to `until` and cannot come before it."
    )
    audience = serializers.ChoiceField(
        choices=Audience.choices, required=False, help_text="Of the successor's details; defaults to the current one's."
    )
    shared_with = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        max_length=MAX_LIST_ITEMS,
        help_text="Acronyms, for the `selected` audience.",
    )


REPLACE_EXAMPLE = {"until": "2025-06-30", "person": "Ana Pérez", "email": "ana.perez@example.org"}


@submission_schema(ContactSerializer, noun="point of contact", plural="Points of contact", example=CONTACT_EXAMPLE)
@extend_schema_view(
    replace=extend_schema(
        summary="Replace a standing point of contact in one step",
        description="Ends this contact's designation on `until` and designates its successor for the same "
        "organization and role, in one transaction (the end is in the contact's history, the successor's "
        "designation in the sharing audit). The successor is submitted at once; its details keep this contact's "
        "audience unless `audience` (and `shared_with`) say otherwise. Focal points of the organization and "
        "administrators only (403); a contact whose designation is not standing: 400.",
        request=ContactReplaceSerializer,
        examples=[OpenApiExample("Hand the role over", value=REPLACE_EXAMPLE, request_only=True)],
        responses={201: ContactSerializer, **write_errors(detail=True)},
    )
)
class ContactViewSet(SubmissionViewSet):
    kind = CONTACT
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    search_fields = ["person", "title", "email", "organization__acronym"]
    ordering_fields = ["person", "role", "since", "until", "updated", "organization__acronym"]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_rows(self):
        return contact_list_for(actor=self.request.user).prefetch_related(
            Prefetch("shared_with", queryset=Organization.objects.order_by("acronym"))
        )

    @action(detail=True, methods=["post"])
    def replace(self, request, pk=None):
        contact = self.get_object()  # 404 when hidden, then 401/403 when read-only
        serializer = ContactReplaceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.get("since") is None:
            data.pop("since", None)
        successor = services.contact_replace(actor=request.user, contact=contact, **data)
        return self.respond(successor, status_code=status.HTTP_201_CREATED)


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
    **reading_schema(CoordinatorSerializer, list="Regional coordinators (public)", retrieve="One regional coordinator")
)
class CoordinatorViewSet(PortalReadOnlyViewSet):
    serializer_class = CoordinatorSerializer
    filterset_class = CoordinatorFilterSet
    search_fields = ["area", "person", "title", "host__acronym"]
    ordering_fields = ["area", "status", "since", "host__acronym"]
    lookup_value_regex = r"[0-9]+"

    def get_rows(self):
        return coordinator_list(actor=self.request.user).order_by("host__acronym", "area", "pk")


# --- demarches (Committee, administrators and the organization concerned) ------------------------------------


class DemarcheSerializer(ModelRulesSerializerMixin, serializers.ModelSerializer):
    organization = OrganizationAcronymField(help_text="Acronym of the organization the demarche is addressed to.")
    open = serializers.BooleanField(source="is_open", read_only=True, help_text="No answer recorded yet.")
    reply = serializers.CharField(read_only=True, help_text="The organization's reply, given in the portal.")
    answered_by_designation = serializers.SerializerMethodField(
        help_text="The organization answered by designating the point of contact asked for."
    )

    def get_answered_by_designation(self, demarche) -> bool:
        return demarche.designation_id is not None

    class Meta:
        model = Demarche
        fields = [
            "id",
            "organization",
            "request",
            "details",
            "channel",
            "sent_on",
            "follow_up_due",
            "answered_on",
            "outcome",
            "open",
            "reply",
            "answered_by_designation",
        ]
        read_only_fields = ["id", "open", "reply", "answered_by_designation"]
        extra_kwargs = {name: {"max_length": 20000} for name in ("details", "outcome")}

    unchangeable_fields = ("organization",)


DEMARCHE_EXAMPLE = {
    "id": 12,
    "organization": "OSCE",
    "request": "designate_assistance",
    "details": "Letter from the Chair asking for a point of contact for assistance.",
    "channel": "letter",
    "sent_on": "2024-03-01",
    "follow_up_due": "2024-06-01",
    "answered_on": None,
    "outcome": "",
    "open": True,
    "reply": "",
    "answered_by_designation": False,
}


class DemarcheAnswerSerializer(serializers.Serializer):
    reply = serializers.CharField(required=False, allow_blank=True, max_length=20000, default="")
    designation = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of the organization's standing point of contact asked for."
    )


class AnswerPermission(PolicyPermission):
    """The demarche was found among those the caller may see; whether it may answer is the service's to decide."""

    def has_object_permission(self, request, view, obj):
        return bool(request.user and request.user.is_authenticated)


@extend_schema_view(
    **reading_schema(
        DemarcheSerializer,
        list="Demarches the caller may see",
        retrieve="One demarche",
        description="Committee experts and administrators see every demarche; an IRO user those addressed to its "
        "organization. Filters: `organization` (acronym), `request`, `status` (`open` | `answered`), "
        "`overdue=yes` (unanswered with the follow-up date past).",
        example=DEMARCHE_EXAMPLE,
    ),
    create=extend_schema(
        summary="Record a demarche (Committee, administrators)",
        examples=[
            OpenApiExample(
                "Ask for a point of contact",
                value={
                    "organization": "OSCE",
                    "request": "designate_assistance",
                    "channel": "letter",
                    "sent_on": "2024-03-01",
                    "follow_up_due": "2024-06-01",
                },
                request_only=True,
            )
        ],
        responses={201: DemarcheSerializer, **write_errors(detail=False)},
    ),
    update=extend_schema(
        summary="Replace a demarche",
        description="The organization concerned sees its demarches but may not change them (403).",
        responses={200: DemarcheSerializer, **write_errors(detail=True)},
    ),
    partial_update=extend_schema(
        summary="Change a demarche (for example, record the answer)",
        examples=[
            OpenApiExample(
                "Answered",
                value={"answered_on": "2024-04-15", "outcome": "Point of contact designated."},
                request_only=True,
            )
        ],
        responses={200: DemarcheSerializer, **write_errors(detail=True)},
    ),
    answer=extend_schema(
        summary="Answer a demarche (the organization it is addressed to)",
        description="A focal point of the organization (or an administrator) answers an open demarche: with "
        "`reply`, or — to a request to designate a point of contact — with `designation`, the id of the "
        "organization's standing contact for that role. The demarche is answered today and the Committee is "
        "notified. Others who may see the demarche: 403; an answered demarche or a wrong contact: 400.",
        request=DemarcheAnswerSerializer,
        examples=[OpenApiExample("Reply", value={"reply": "We will designate by June."}, request_only=True)],
        responses={200: DemarcheSerializer, **write_errors(detail=True)},
    ),
)
class DemarcheViewSet(ServiceCreateMixin, ServiceUpdateMixin, PortalViewSet):
    serializer_class = DemarcheSerializer
    filterset_class = DemarcheFilterSet
    search_fields = ["details", "outcome", "organization__acronym"]
    ordering_fields = ["sent_on", "follow_up_due", "answered_on", "request", "organization__acronym"]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_rows(self):
        return demarche_list_for(actor=self.request.user)

    def perform_create_service(self, data):
        data = dict(data)
        organization = data.pop("organization")
        return services.demarche_create(actor=self.request.user, organization=organization, **data)

    def perform_update_service(self, demarche, data):
        data = dict(data)
        data.pop("organization", None)
        return services.demarche_update(actor=self.request.user, demarche=demarche, **data)

    @action(detail=True, methods=["post"], permission_classes=[AnswerPermission])
    def answer(self, request, pk=None):
        demarche = self.get_object()  # 404 when hidden
        serializer = DemarcheAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        designation = None
        if serializer.validated_data.get("designation") is not None:
            # A contact the caller may not see reads like a missing one.
            designation = (
                contact_list_for(actor=request.user).filter(pk=serializer.validated_data["designation"]).first()
            )
            if designation is None:
                raise serializers.ValidationError({"designation": ["Unknown point of contact."]})
        demarche = services.demarche_answer(
            actor=request.user, demarche=demarche, reply=serializer.validated_data["reply"], designation=designation
        )
        return self.respond(demarche)


# --- designation status (public) -----------------------------------------------------------------------------


class RoleDesignationSerializer(serializers.Serializer):
    designated = serializers.BooleanField(read_only=True)
    since = serializers.DateField(read_only=True, allow_null=True)


class DesignationSerializer(serializers.Serializer):
    """Whether an organization designated each point of contact, and since when: never who, nor how to reach them."""

    organization = serializers.CharField(source="organization.acronym", read_only=True)
    assistance = serializers.SerializerMethodField()
    implementation = serializers.SerializerMethodField()

    @extend_schema_field(RoleDesignationSerializer)
    def get_assistance(self, status) -> dict:
        return RoleDesignationSerializer(status.for_role(ContactRole.ASSISTANCE)).data

    @extend_schema_field(RoleDesignationSerializer)
    def get_implementation(self, status) -> dict:
        return RoleDesignationSerializer(status.for_role(ContactRole.IMPLEMENTATION)).data


DESIGNATION_EXAMPLE = {
    "organization": "OSCE",
    "assistance": {"designated": True, "since": "2011-06-01"},
    "implementation": {"designated": False, "since": None},
}


@extend_schema_view(
    list=extend_schema(
        summary="Designation status of every organization (public)",
        description="One entry per organization: whether it has a standing, submitted point of contact for "
        "assistance and for implementation, and since when. Drafts and ended designations do not count; the "
        "contacts' details are never shown here (see `contacts/`). Filters: `q`, `kind`, `region` (M49 code), "
        "`designated` (`yes` | `no`, for `role` or for both roles).",
        responses={
            200: OpenApiResponse(
                DesignationSerializer(many=True),
                examples=[
                    OpenApiExample(
                        "Designation status",
                        value={"count": 1, "next": None, "previous": None, "results": [DESIGNATION_EXAMPLE]},
                    )
                ],
            ),
            **read_errors(detail=False),
        },
    ),
)
class DesignationViewSet(PolicyQuerysetMixin, PortalAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = DesignationSerializer
    filterset_class = DesignationFilterSet
    filter_backends = [DjangoFilterBackend]

    def get_rows(self):
        return designation_organizations(actor=self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # One query for the page's designations (organization, role, since of standing submitted contacts).
        serializer = self.get_serializer(designation_status(organizations=page), many=True)
        return self.get_paginated_response(serializer.data)
