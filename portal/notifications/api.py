"""REST API for the caller's own notifications: list them, mark one read."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated

from portal.api.schema import BAD_FILTER, LIST_NOT_FOUND, NOT_FOUND, UNAUTHORIZED
from portal.api.views import PortalViewSet
from portal.notifications import selectors, services
from portal.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The record's page on the portal.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "record_type", "record_id", "created", "read_at", "url"]
        read_only_fields = fields

    def get_url(self, notification) -> str:
        return services.record_url(notification.record_type, notification.record_id)


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    kind = django_filters.ChoiceFilter(choices=Notification.Kind.choices)

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


@extend_schema_view(
    list=extend_schema(
        summary="My notifications",
        responses={200: NotificationSerializer(many=True), 400: BAD_FILTER, 401: UNAUTHORIZED, 404: LIST_NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary="One of my notifications", responses={200: NotificationSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND}
    ),
)
class NotificationViewSet(PortalViewSet):
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    permission_classes = [IsAuthenticated]
    ordering_fields = ["created"]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "head", "options"]

    def get_rows(self):
        return selectors.notification_list_for(actor=self.request.user)

    @extend_schema(
        summary="Mark a notification read",
        request=None,
        responses={200: NotificationSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()  # someone else's notification is 404, like a missing one
        notification = services.notification_mark_read(actor=request.user, notification_id=notification.pk)
        return self.respond(notification)
