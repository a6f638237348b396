"""Base classes for every API view, the token endpoint and the documentation pages."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from confidentiality import policies
from confidentiality.kinds import SubmissionKind
from portal.accounts.services import api_token_create
from portal.api.authentication import ActiveUserTokenAuthentication
from portal.api.exceptions import portal_exception_handler
from portal.api.fields import sharing_arguments
from portal.api.filters import PortalFilterBackend, PortalOrderingFilter, PortalSearchFilter
from portal.api.lockout import PasswordEndpointMixin
from portal.api.pagination import PortalPagination
from portal.api.permissions import PolicyPermission
from portal.api.schema import BAD_REQUEST, TOO_MANY_REQUESTS, ErrorSerializer

AUTHENTICATION_CLASSES = [ActiveUserTokenAuthentication, SessionAuthentication]


class PortalAPIMixin:
    """Authentication, permission, errors, pagination and filters every API view shares."""

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [PolicyPermission]
    pagination_class = PortalPagination

    def get_exception_handler(self):
        return portal_exception_handler


class PolicyQuerysetMixin:
    """Every viewset's rows go through the visibility policy here, so no record kind can forget it (NetBox's base
    viewset restricts every queryset the same way).

    A viewset declares `queryset` (the rows, with what its serializer reads) or overrides `get_rows()` — often
    with a selector, which has applied the policy already — and never `get_queryset()` (a test checks).
    """

    def get_rows(self):
        return super().get_queryset()

    def get_queryset(self):
        rows = self.get_rows()
        if policies.restricted_for(self.request.user, rows):
            return rows
        return policies.visible_to(self.request.user, rows)


class PortalReadOnlyViewSet(PolicyQuerysetMixin, PortalAPIMixin, viewsets.ReadOnlyModelViewSet):
    filter_backends = [PortalFilterBackend, PortalSearchFilter, PortalOrderingFilter]


class PortalViewSet(
    PolicyQuerysetMixin,
    PortalAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Reads; the write mixins below add service-backed writes (serializers validate, one service writes)."""

    filter_backends = [PortalFilterBackend, PortalSearchFilter, PortalOrderingFilter]

    def reread(self, instance):
        """The written record as the list shows it (prefetched), through the caller's own visible queryset."""
        return self.get_queryset().filter(pk=instance.pk).first() or instance

    def respond(self, instance, *, status_code=status.HTTP_200_OK):
        serializer = self.serializer_class(self.reread(instance), context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)


class ServiceCreateMixin:
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_create_service(serializer.validated_data)
        return self.respond(instance, status_code=status.HTTP_201_CREATED)

    def perform_create_service(self, data):
        raise NotImplementedError


class ServiceUpdateMixin:
    def update(self, request, *args, **kwargs):
        instance = self.get_object()  # 404 when hidden, then 401/403 when read-only
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        instance = self.perform_update_service(instance, serializer.validated_data)
        return self.respond(instance)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_update_service(self, instance, data):
        raise NotImplementedError


class ServiceDestroyMixin:
    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.perform_destroy_service(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_destroy_service(self, instance):
        raise NotImplementedError


class PortalModelViewSet(ServiceCreateMixin, ServiceUpdateMixin, ServiceDestroyMixin, PortalViewSet):
    """Every verb, each write through the app's service."""


class SubmissionViewSet(PortalModelViewSet):
    """The API of a submission kind (`kind`, a `confidentiality.kinds.SubmissionKind`): its services write.

    Focal points create for their own organization (administrators name one in `organization`); the owner
    never changes afterwards; state, audience and `shared_with` travel to the service, which hands them to the
    sharing service (audit, grants, notifications).
    """

    kind: SubmissionKind = None

    def perform_create_service(self, data):
        data = sharing_arguments(dict(data))
        organization = data.pop("organization", None) or policies.own_organization(self.request.user)
        if organization is None:
            raise serializers.ValidationError({"organization": [_("This field is required.")]})
        return self.kind.create(actor=self.request.user, organization=organization, **data)

    def perform_update_service(self, instance, data):
        data = sharing_arguments(dict(data))
        data.pop("organization", None)
        return self.kind.update(actor=self.request.user, **{self.kind.record_name: instance}, **data)

    def perform_destroy_service(self, instance):
        self.kind.delete(actor=self.request.user, **{self.kind.record_name: instance})


TokenResponse = inline_serializer(name="Token", fields={"token": serializers.CharField()})
# The name of every token this endpoint makes, on the owner's tokens page.
PASSWORD_TOKEN_NAME = "API (password)"


class TokenObtainView(PasswordEndpointMixin, PortalAPIMixin, APIView):
    """Exchange a username and password for a new API token, returned once (only its digest is kept).

    Each call makes a new token: a key is never shown twice, and a token leaked from one script is revoked
    without stopping the others. Accounts that must sign in with a second factor get 403: a password alone may
    not mint what skips the second factor, so they create tokens on their tokens page after signing in.
    """

    authentication_classes = []
    permission_classes = []
    pagination_class = None
    renderer_classes = [JSONRenderer]  # a key is never rendered into an HTML page (the browsable API)
    serializer_class = AuthTokenSerializer

    @extend_schema(
        operation_id="auth_token_create",
        summary=str(_("Obtain an API token")),
        description="Each call creates a new token named “API (password)”; it expires after `API_TOKEN_DAYS` days "
        "and is revoked when the password changes or is reset, or the account is deactivated.",
        request=AuthTokenSerializer,
        responses={
            200: OpenApiResponse(
                TokenResponse,
                examples=[OpenApiExample("Token", value={"token": "9944b09199c62bcf9418ad846dd0e4bb5a3f0c1d"})],
            ),
            400: BAD_REQUEST,
            403: OpenApiResponse(
                ErrorSerializer,
                description="The account signs in with a second factor: its tokens are made on the tokens page.",
            ),
            429: TOO_MANY_REQUESTS,
        },
        examples=[
            OpenApiExample(
                "Credentials", value={"username": "focal", "password": "s3cret-passphrase"}, request_only=True
            )
        ],
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            _token, key = api_token_create(
                actor=serializer.validated_data["user"],
                name=PASSWORD_TOKEN_NAME,
                second_factor_verified=False,
                request=request,
            )
        except PermissionDenied as refusal:
            raise exceptions.PermissionDenied(str(refusal)) from None
        return Response({"token": key})


class SchemaView(PortalAPIMixin, SpectacularAPIView):
    pagination_class = None


class DocsView(PortalAPIMixin, SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar wheel; its init script is a separate file, so the strict CSP holds."""

    pagination_class = None
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


class NotFoundView(PortalAPIMixin, APIView):
    """Any other path under /api/v1/ answers a JSON 404, never the HTML error page."""

    schema = None  # not an operation
    authentication_classes = []
    permission_classes = []

    def _not_found(self, request, *args, **kwargs):
        raise NotFound

    get = post = put = patch = delete = head = options = _not_found
