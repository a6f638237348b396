"""Shared pieces of the OpenAPI description: error bodies and the error responses of each kind of operation."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(name="Error", fields={"detail": serializers.CharField()})
ValidationErrorSerializer = inline_serializer(
    name="ValidationError",
    fields={
        "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False),
    },
)

UNAUTHORIZED = OpenApiResponse(
    ErrorSerializer,
    description="Not signed in (or the token is unknown, or belongs to a deactivated account).",
    examples=[OpenApiExample("Unauthorized", value={"detail": "Authentication credentials were not provided."})],
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="The record is visible to the caller, who may not change it.",
    examples=[OpenApiExample("Forbidden", value={"detail": "You do not have permission to perform this action."})],
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such record, or one the caller may not see: the two answers are identical.",
    examples=[OpenApiExample("Not found", value={"detail": "No Program matches the given query."})],
)
LIST_NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="The page is out of range.",
    examples=[OpenApiExample("Invalid page", value={"detail": "Invalid page."})],
)
BAD_REQUEST = OpenApiResponse(
    ValidationErrorSerializer,
    description="Invalid input: a body keyed by field (`non_field_errors` for the whole record); nothing written.",
    examples=[
        OpenApiExample("Unknown codes", value={"thematic_areas": ["Unknown codes: nuclear-x."]}),
        OpenApiExample("Malformed JSON", value={"detail": "JSON parse error - Expecting value"}),
    ],
)
BAD_FILTER = OpenApiResponse(
    ValidationErrorSerializer,
    description="An unknown filter value (for example an acronym or code that does not exist).",
    examples=[OpenApiExample("Unknown filter value", value={"organization": ["Select a valid choice."]})],
)


def read_errors(*, detail: bool) -> dict:
    return {404: NOT_FOUND} if detail else {400: BAD_FILTER, 404: LIST_NOT_FOUND}


def write_errors(*, detail: bool, body: bool = True) -> dict:
    responses = {401: UNAUTHORIZED, 403: FORBIDDEN}
    if body:
        responses[400] = BAD_REQUEST
    if detail:
        responses[404] = NOT_FOUND
    return responses
