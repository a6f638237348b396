"""REST API for user accounts: administrators only. `portal.accounts.services` writes."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from portal.accounts import services
from portal.accounts.filters import UserFilterSet
from portal.accounts.models import User
from portal.api.fields import OrganizationAcronymField
from portal.api.permissions import IsPortalAdmin
from portal.api.schema import BAD_FILTER, BAD_REQUEST, FORBIDDEN, LIST_NOT_FOUND, NOT_FOUND, UNAUTHORIZED
from portal.api.views import PortalViewSet, ServiceCreateMixin, ServiceUpdateMixin


class UserSerializer(serializers.ModelSerializer):
    organization = OrganizationAcronymField(
        source="membership.organization",
        required=False,
        allow_null=True,
        help_text="Acronym; required for focal points and members, refused for other roles.",
    )
    password = serializers.CharField(
        write_only=True,
        required=False,
        max_length=128,
        style={"input_type": "password"},
        help_text="Optional: without one, the account signs in once its owner sets a password through the "
        "“forgotten password” link (sent to accounts without a password too).",
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "role",
            "organization",
            "is_active",
            "date_joined",
            "last_login",
            "password",
        ]
        read_only_fields = ["id", "first_name", "last_name", "is_active", "date_joined", "last_login"]
        extra_kwargs = {"role": {"required": True}}

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # After creation only the role and organization change (through `user_set_role`).
            for name in ("username", "email", "password"):
                fields[name].read_only = True
        return fields


USER_EXAMPLE = {
    "username": "osce-focal",
    "email": "focal@example.org",
    "role": "focal_point",
    "organization": "OSCE",
}


def _organization_of(data: dict):
    membership = data.pop("membership", None) or {}
    return membership.get("organization")


@extend_schema_view(
    list=extend_schema(
        summary="Accounts (administrators only)",
        responses={
            200: UserSerializer(many=True),
            400: BAD_FILTER,
            401: UNAUTHORIZED,
            403: FORBIDDEN,
            404: LIST_NOT_FOUND,
        },
    ),
    retrieve=extend_schema(
        summary="One account", responses={200: UserSerializer, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="Create an account",
        examples=[OpenApiExample("A focal point", value=USER_EXAMPLE, request_only=True)],
        responses={201: UserSerializer, 400: BAD_REQUEST, 401: UNAUTHORIZED, 403: FORBIDDEN},
    ),
    update=extend_schema(
        summary="Set an account's role and organization",
        responses={200: UserSerializer, 400: BAD_REQUEST, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Set an account's role and/or organization",
        description="Your own role cannot change (400).",
        examples=[OpenApiExample("Make a member", value={"role": "member", "organization": "OSCE"}, request_only=True)],
        responses={200: UserSerializer, 400: BAD_REQUEST, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class UserViewSet(ServiceCreateMixin, ServiceUpdateMixin, PortalViewSet):
    serializer_class = UserSerializer
    permission_classes = [IsPortalAdmin]
    filterset_class = UserFilterSet
    search_fields = ["username", "email", "first_name", "last_name"]
    ordering_fields = ["username", "date_joined", "last_login", "role"]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_rows(self):
        # Administrators only (the permission class): every account, no visibility rule applies.
        return User.objects.select_related("membership__organization").order_by("username", "pk")

    def perform_create_service(self, data):
        data = dict(data)
        organization = _organization_of(data)
        return services.user_create(
            username=data["username"],
            email=data.get("email", ""),
            role=data["role"],
            organization=organization,
            password=data.get("password") or None,
        )

    def perform_update_service(self, user, data):
        data = dict(data)
        has_organization = "membership" in data
        organization = _organization_of(data)
        if not has_organization:
            membership = getattr(user, "membership", None)
            organization = membership.organization if membership is not None else None
        role = data.get("role", user.role)
        return services.user_set_role(
            actor=self.request.user, user=user, role=role, organization=organization, request=self.request
        )

    @extend_schema(
        summary="Deactivate an account",
        description="Its sessions resolve to anonymous and its API tokens are revoked. Your own account cannot be "
        "deactivated (400).",
        request=None,
        responses={200: UserSerializer, 400: BAD_REQUEST, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        user = self.get_object()
        user = services.user_deactivate(actor=request.user, user=user, request=request)
        return self.respond(user)
