"""Who sees a notification: its recipient only (the policy registry's entry)."""

from django.db.models import QuerySet

from confidentiality.policies import Policy, register
from confidentiality.viewers import Viewer
from portal.notifications.models import Notification


class NotificationPolicy(Policy):
    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if not viewer.is_signed_in:
            return queryset.none()
        return queryset.filter(recipient_id=viewer.user_id)

    def can_change(self, viewer: Viewer, record: Notification) -> bool:
        return viewer.is_signed_in and record.recipient_id == viewer.user_id


def register_policies() -> None:
    register(NotificationPolicy(Notification))
