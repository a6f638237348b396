"""The import API of every kind of record: `POST /api/v1/imports/<slug>/` and its templates, one view per kind
configured by its `Importer` (like the generic pages), routed by `import_api_urlpatterns`."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.fields import OrganizationAcronymField
from portal.api.renderers import DownloadRenderer
from portal.api.schema import BAD_REQUEST, FORBIDDEN, NOT_FOUND, UNAUTHORIZED
from portal.api.views import PortalAPIMixin
from portal.imports import services
from portal.imports.importers import Importer, Scope, importers
from portal.kernel import tabular
from portal.kernel.imports import template_response


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        max_length=255, allow_empty_file=True, help_text="CSV (UTF-8) or XLSX, with the template's header row."
    )
    dry_run = serializers.BooleanField(
        default=True, help_text="`true` (the default): report what would happen and write nothing."
    )
    organization = OrganizationAcronymField(
        required=False,
        help_text="Administrators importing programs or points of contact: the organization of rows that name none.",
    )


class ImportProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="The spreadsheet's row (the header is row 1).")
    column = serializers.CharField(allow_null=True, help_text="The column's header as the file names it.")
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = ImportProblemSerializer(many=True)


IMPORT_RESULT_EXAMPLE = {
    "dry_run": True,
    "created": 12,
    "updated": 3,
    "unchanged": 40,
    "errors": [{"row": 14, "column": "End date", "message": "The end date cannot be before the start date."}],
}
WHO_IMPORTS = {
    Scope.ORGANIZATION: "a focal point imports only for its own organization (administrators for any); members and "
    "Committee experts may not import (403).",
    Scope.COMMITTEE: "Committee experts and administrators import; IRO users may not (403).",
}


class ImportSchema(AutoSchema):
    """The OpenAPI operation of one kind's import, named and described after its importer."""

    def get_operation_id(self):
        return f"imports_{self.view.importer.slug.replace('-', '_')}_create"

    def get_tags(self):
        return ["imports"]

    def get_summary(self):
        return f"Import {self.view.importer.slug} from a spreadsheet (dry run first)"

    def get_description(self):
        slug = self.view.importer.slug
        return (
            f"Multipart form: `file` (CSV or XLSX with the header of `template.csv` / `template.xlsx`) and `dry_run` "
            f"(`true` | `false`). Each row creates a record or updates the one of its `ID` or `Key`; `unchanged` "
            f"counts rows that match their record already, so importing a file again changes nothing. Every problem "
            f"is reported by row and column, and when there is any, nothing is written: a dry run answers 200, an "
            f"import 400 with the same body. Rows are written by the same services as `POST /api/v1/{slug}/`: "
            f"{WHO_IMPORTS[self.view.importer.scope]}"
        )

    def get_request_serializer(self):
        return {"multipart/form-data": ImportRequestSerializer}

    def get_response_serializers(self):
        return {
            200: OpenApiResponse(
                ImportResultSerializer, examples=[OpenApiExample("Dry run", value=IMPORT_RESULT_EXAMPLE)]
            ),
            400: OpenApiResponse(
                BAD_REQUEST.response,
                description="An import that found problems answers the 200 body (`ImportResult`) with status 400 "
                "and writes nothing; a request without a file answers the usual field-keyed errors.",
            ),
            401: UNAUTHORIZED,
            403: FORBIDDEN,
        }


class ImportTemplateSchema(AutoSchema):
    def get_operation_id(self):
        return f"imports_{self.view.importer.slug.replace('-', '_')}_template"

    def get_tags(self):
        return ["imports"]

    def get_summary(self):
        return f"The {self.view.importer.slug} import template (CSV or XLSX)"

    def get_description(self):
        return (
            "`template.csv`: the header row. `template.xlsx`: the header row with drop-down lists for coded columns, "
            "and a “Notes” sheet explaining each column and its allowed codes. In the caller's language. Public: it "
            "holds reference data only."
        )

    def get_override_parameters(self):
        return [OpenApiParameter("extension", str, OpenApiParameter.PATH, enum=["csv", "xlsx"])]

    def get_response_serializers(self):
        return {
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The CSV template."),
            (200, tabular.XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The XLSX template."),
            404: NOT_FOUND,
        }


class ImportAPIView(PortalAPIMixin, APIView):
    """Records from a CSV or XLSX file, through the same services as the kind's own endpoint."""

    importer: Importer = None  # set by `import_api_urlpatterns`
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = None
    schema = ImportSchema()

    def post(self, request):
        if not self.importer.may_import(request.user):
            raise PermissionDenied(str(self.importer.texts.refused))
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.import_run(
            importer=self.importer,
            actor=request.user,
            file=data["file"],
            filename=data["file"].name,
            dry_run=data["dry_run"],
            organization=data.get("organization"),
        )
        refused = not report.dry_run and not report.written
        return Response(report.as_json(), status=status.HTTP_400_BAD_REQUEST if refused else status.HTTP_200_OK)


class ImportTemplateAPIView(PortalAPIMixin, APIView):
    """The import template: the header row names the columns."""

    importer: Importer = None
    authentication_classes = []
    permission_classes = []
    pagination_class = None
    renderer_classes = [JSONRenderer, DownloadRenderer]
    schema = ImportTemplateSchema()

    def get(self, request, extension: str):
        return template_response(self.importer.kind(actor=None), extension=extension)


def import_api_urlpatterns() -> list:
    """`imports/<slug>/` and its templates for every registered importer (`api:imports-<slug>`,
    `api:imports-<slug>-template`)."""
    patterns = []
    for importer in importers():
        patterns += [
            path(
                f"imports/{importer.slug}/", ImportAPIView.as_view(importer=importer), name=f"imports-{importer.slug}"
            ),
            re_path(
                rf"^imports/{importer.slug}/template\.(?P<extension>csv|xlsx)$",
                ImportTemplateAPIView.as_view(importer=importer),
                name=f"imports-{importer.slug}-template",
            ),
        ]
    return patterns
