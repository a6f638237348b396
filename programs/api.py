"""REST API for programs and their documents: serializers validate and map, services write."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer

from confidentiality.models import Audience, State
from iros.models import Organization, Region, ThematicArea
from portal.api.fields import (
    MAX_LIST_ITEMS,
    RelatedCodesField,
    SharedWithField,
    attach_related_codes,
    codes_attr,
    country_list_field,
    listed,
    related_rows,
)
from portal.api.renderers import DownloadRenderer
from portal.api.schema import (
    NOT_FOUND,
    reading_schema,
    submission_schema,
    write_errors,
)
from portal.api.serializers import (
    SUBMISSION_READ_ONLY_FIELDS,
    SubmissionSerializer,
    submission_fields,
)
from portal.api.views import (
    PortalViewSet,
    ServiceCreateMixin,
    ServiceDestroyMixin,
    SubmissionViewSet,
)
from portal.kernel.downloads import stored_file_response
from programs import selectors, services
from programs.filters import ProgramFilterSet
from programs.kinds import PROGRAM
from programs.models import Document, Program, ProgramPartner, Tag

# --- programs -----------------------------------------------------------------------------------------------


class PartnerSerializer(serializers.Serializer):
    organization = serializers.CharField(max_length=32, help_text="Acronym of the partner organization.")
    role = serializers.ChoiceField(choices=ProgramPartner.Role.choices)

    def to_representation(self, partnership):
        if isinstance(partnership, ProgramPartner):
            return {"organization": partnership.organization.acronym, "role": partnership.role}
        if isinstance(partnership, tuple):  # (acronym, role), from `attach_partners`
            return {"organization": partnership[0], "role": partnership[1]}
        return super().to_representation(partnership)


class PartnersField(serializers.ListField):
    def __init__(self, **kwargs):
        super().__init__(child=PartnerSerializer(), required=False, max_length=MAX_LIST_ITEMS, **kwargs)

    def get_attribute(self, program):
        partners = program.__dict__.get(codes_attr("partnerships"))  # attach_partners
        return partners if partners is not None else related_rows(program, "partnerships")


class ProgramSerializer(SubmissionSerializer):
    thematic_areas = RelatedCodesField(slug_field="code", max_length=32, help_text="Thematic area codes.")
    regions = RelatedCodesField(slug_field="code", max_length=3, help_text="UN M49 region codes.")
    beneficiary_countries = country_list_field()
    funding_states = country_list_field()
    tags = RelatedCodesField(slug_field="name", max_length=64)
    partners = PartnersField()

    class Meta:
        model = Program
        fields = submission_fields(
            "title",
            "summary",
            "status",
            "thematic_areas",
            "beneficiary_countries",
            "regions",
            "partners",
            "funding_states",
            "start_date",
            "end_date",
            "budget",
            "currency",
            "assistance_on_request",
            "website",
            "tags",
        )
        read_only_fields = SUBMISSION_READ_ONLY_FIELDS
        extra_kwargs = {"summary": {"max_length": 20000}}


PROGRAM_EXAMPLE = {
    "id": 42,
    "organization": "UNODC",
    "title": "Container Control Programme",
    "summary": "Joint UNODC–WCO programme on risk profiling of containers.",
    "status": "ongoing",
    "state": "submitted",
    "thematic_areas": ["nuclear", "op3c"],
    "beneficiary_countries": ["EC", "PK"],
    "regions": ["142"],
    "partners": [{"organization": "WCO", "role": "partner"}],
    "funding_states": ["NO"],
    "start_date": "2004-01-01",
    "end_date": None,
    "audience": "selected",
    "shared_with": ["IAEA", "OSCE"],
    "budget": None,
    "currency": "",
    "assistance_on_request": True,
    "website": "",
    "tags": ["border controls"],
    "created": "2024-05-01T09:00:00Z",
    "updated": "2024-05-02T09:00:00Z",
}
PROGRAM_CREATE_EXAMPLE = {
    "title": "Container Control Programme",
    "summary": "Joint UNODC–WCO programme.",
    "status": "ongoing",
    "thematic_areas": ["nuclear"],
    "regions": ["142"],
    "beneficiary_countries": ["PK"],
    "partners": [{"organization": "WCO", "role": "partner"}],
    "state": "submitted",
    "audience": "selected",
    "shared_with": ["IAEA", "OSCE"],
}


@submission_schema(
    ProgramSerializer, noun="program", plural="Programs", example=PROGRAM_EXAMPLE, create_example=PROGRAM_CREATE_EXAMPLE
)
class ProgramViewSet(SubmissionViewSet):
    kind = PROGRAM
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilterSet
    search_fields = ["title", "summary", "organization__acronym", "organization__name"]
    ordering_fields = ["title", "status", "start_date", "end_date", "created", "updated", "organization__acronym"]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_rows(self):
        # Into plain lists (`listed`), each relation in its default order as before, and only the columns the
        # serializer shows: no name or translations (JSON) decoded for the hundreds of related rows of a page.
        # A list page reads the codes of its programs itself (`paginate_queryset`): no model instance at all.
        rows = selectors.program_list_for(actor=self.request.user)
        if self.action == "list":
            return rows
        return rows.prefetch_related(
            Prefetch("thematic_areas", ThematicArea.objects.only("code"), to_attr=listed("thematic_areas")),
            Prefetch("regions", Region.objects.only("code"), to_attr=listed("regions")),
            Prefetch("tags", Tag.objects.only("name"), to_attr=listed("tags")),
            Prefetch(
                "partnerships",
                ProgramPartner.objects.select_related("organization").only("program", "role", "organization__acronym"),
                to_attr=listed("partnerships"),
            ),
            Prefetch(
                "shared_with", Organization.objects.order_by("acronym").only("acronym"), to_attr=listed("shared_with")
            ),
        )

    def paginate_queryset(self, queryset):
        # A list page reads what its programs link to as plain values, one query per relation: no model instance
        # per related row (hundreds on a page of 50) and no prefetch machinery.
        page = super().paginate_queryset(queryset)
        if page is None:
            return None
        for relation, slug_field in (
            ("thematic_areas", "code"),
            ("regions", "code"),
            ("tags", "name"),
            ("shared_with", "acronym"),
        ):
            attach_related_codes(page, relation, slug_field)
        attach_partners(page)
        return page


def attach_partners(programs: list[Program]) -> None:
    """Each program's partners as (acronym, role) pairs, in the partnerships' own order, in one query."""
    partners: dict[int, list[tuple[str, str]]] = {program.pk: [] for program in programs}
    if not partners:
        return
    # The model's order (program, role, acronym) within each program, without joining the programs.
    rows = ProgramPartner.objects.filter(program__in=list(partners)).order_by(
        "program_id", "role", "organization__acronym"
    )
    for program_id, acronym, role in rows.values_list("program_id", "organization__acronym", "role"):
        partners[program_id].append((acronym, role))
    for program in programs:
        program.__dict__[codes_attr("partnerships")] = partners[program.pk]


# --- documents ----------------------------------------------------------------------------------------------


class DocumentFilterSet(filters.FilterSet):
    program = filters.NumberFilter(field_name="program_id", min_value=1, max_value=2**63 - 1)
    organization = filters.ModelChoiceFilter(
        field_name="program__organization", queryset=Organization.objects.all(), to_field_name="acronym"
    )

    class Meta:
        model = Document
        fields = ["program", "organization"]


class DocumentSerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="program_id", read_only=True)
    organization = serializers.CharField(source="program.organization.acronym", read_only=True)
    state = serializers.ChoiceField(source="program.state", choices=State.choices, read_only=True)
    audience = serializers.ChoiceField(source="program.audience", choices=Audience.choices, read_only=True)
    shared_with = SharedWithField(record_attr="program", read_only=True)
    download = serializers.HyperlinkedIdentityField(view_name="api:documents-download", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "program",
            "title",
            "filename",
            "content_type",
            "size",
            "uploaded_at",
            "organization",
            "state",
            "audience",
            "shared_with",
            "download",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    program = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    file = serializers.FileField(max_length=255, allow_empty_file=False)

    def validate_program(self, program_id):
        # A program the caller may not see reads exactly like a missing one: no existence oracle.
        try:
            return selectors.program_get_for(actor=self.context["request"].user, program_id=program_id)
        except Http404:
            raise serializers.ValidationError(_("Unknown program.")) from None


@extend_schema_view(
    **reading_schema(
        DocumentSerializer, list="Documents of the programs the caller may see", retrieve="One document's description"
    ),
    create=extend_schema(
        summary="Upload a document to a program",
        description="Multipart form: `program` (id), `title`, `file` (PDF, office formats, text or CSV; size limit "
        "from settings). A program the caller cannot see answers 400 “Unknown program.”, like a missing one; a "
        "program the caller sees but may not change answers 403.",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, **write_errors(detail=False)},
    ),
    destroy=extend_schema(summary="Delete a document", responses={204: None, **write_errors(detail=True, body=False)}),
)
class DocumentViewSet(ServiceCreateMixin, ServiceDestroyMixin, PortalViewSet):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    search_fields = ["title", "filename"]
    ordering_fields = ["title", "uploaded_at", "size"]
    parser_classes = [MultiPartParser, FormParser]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_rows(self):
        return selectors.document_list_for(actor=self.request.user).prefetch_related(
            Prefetch("program__shared_with", queryset=Organization.objects.order_by("acronym"))
        )

    def get_serializer_class(self):
        if self.action == "create":
            return DocumentUploadSerializer
        return DocumentSerializer

    def perform_create_service(self, data):
        return services.document_create(
            actor=self.request.user, program=data["program"], title=data.get("title", ""), file=data["file"]
        )

    def perform_destroy_service(self, document):
        services.document_delete(actor=self.request.user, document=document)

    @extend_schema(
        summary="Download the file",
        description="Streams the file as an attachment, after the same visibility check as the record.",
        responses={
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, DownloadRenderer])
    def download(self, request, pk=None):
        document = self.get_object()
        return stored_file_response(document.file, filename=document.filename, content_type=document.content_type)
