"""Who sees a notification and a notification preference: its person only (the policy registry's entries)."""

from confidentiality.policies import OwnRowsPolicy, register
from confidentiality.viewers import Viewer
from portal.notifications.models import Notification, NotificationPreference


class NotificationPolicy(OwnRowsPolicy):
    def can_change(self, viewer: Viewer, record: Notification) -> bool:
        return viewer.is_signed_in and record.recipient_id == viewer.user_id


def register_policies() -> None:
    register(NotificationPolicy(Notification, user_field="recipient_id", administrators_see_all=False))
    register(OwnRowsPolicy(NotificationPreference, user_field="user_id", administrators_see_all=False))
