"""Shared pieces of the OpenAPI description: error bodies and the error responses of each kind of operation."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
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
    description="Not signed in, or the token is unknown, revoked, expired or belongs to a deactivated account.",
    examples=[
        OpenApiExample("Unauthorized", value={"detail": "Authentication credentials were not provided."}),
        OpenApiExample("Expired token", value={"detail": "This token has expired."}),
        OpenApiExample("Revoked token", value={"detail": "This token has been revoked."}),
    ],
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
TOO_MANY_REQUESTS = OpenApiResponse(
    ErrorSerializer,
    description="Too many requests (see `Retry-After`), or too many failed sign-ins for this username from this "
    "address: refused, the right password too, until the lockout ends.",
    examples=[OpenApiExample("Throttled", value={"detail": "Request was throttled. Expected available in 6 seconds."})],
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


def submission_schema(serializer, *, noun: str, plural: str, example: dict, create_example: dict | None = None):
    """The OpenAPI description of a submission kind's viewset (`noun`: "program"; `plural`: "Programs")."""
    create_examples = []
    if create_example is not None:
        create_examples = [OpenApiExample("Submit and share with two IROs", value=create_example, request_only=True)]
    return extend_schema_view(
        list=extend_schema(
            summary=f"{plural} the caller may see",
            description="Drafts only for the owner organization and administrators; see the sharing rules.",
            responses={200: serializer(many=True), **read_errors(detail=False)},
        ),
        retrieve=extend_schema(
            summary=f"One {noun}",
            responses={
                200: OpenApiResponse(serializer, examples=[OpenApiExample(noun.capitalize(), value=example)]),
                **read_errors(detail=True),
            },
        ),
        create=extend_schema(
            summary=f"Create a {noun}",
            description="Focal points create for their own organization only (another organization: 403); "
            "administrators for any organization (give `organization`). State, audience and `shared_with` go "
            "through the sharing service (audit and notifications).",
            examples=create_examples,
            responses={201: serializer, **write_errors(detail=False)},
        ),
        update=extend_schema(summary=f"Replace a {noun}", responses={200: serializer, **write_errors(detail=True)}),
        partial_update=extend_schema(
            summary=f"Change a {noun} (for example narrow its audience back to the Committee)",
            examples=[
                OpenApiExample("Narrow to the Committee", value={"audience": "committee"}, request_only=True),
                OpenApiExample("Withdraw to draft", value={"state": "draft"}, request_only=True),
            ],
            responses={200: serializer, **write_errors(detail=True)},
        ),
        destroy=extend_schema(
            summary=f"Delete a {noun}", responses={204: None, **write_errors(detail=True, body=False)}
        ),
    )


def reading_schema(serializer, *, list: str, retrieve: str, description: str = "", example: dict | None = None) -> dict:
    """The `list` and `retrieve` descriptions of a viewset (summaries, the list's `description`, an example record),
    to spread into `extend_schema_view(...)` beside its write operations."""
    one = serializer
    if example is not None:
        one = OpenApiResponse(serializer, examples=[OpenApiExample(serializer.Meta.model.__name__, value=example)])
    return {
        "list": extend_schema(
            summary=list, description=description, responses={200: serializer(many=True), **read_errors(detail=False)}
        ),
        "retrieve": extend_schema(summary=retrieve, responses={200: one, **read_errors(detail=True)}),
    }
