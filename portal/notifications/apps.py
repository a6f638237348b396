from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Imported here: models load only once apps are ready. The tasks module is imported so the queue can
        # find its tasks by name (services name the task instead of importing it: no services ↔ tasks cycle).
        from confidentiality.signals import sharing_changed
        from portal.notifications import tasks  # noqa: F401
        from portal.notifications.policies import register_policies
        from portal.notifications.services import notifications_for_sharing

        register_policies()
        sharing_changed.connect(notifications_for_sharing, dispatch_uid="notifications.sharing_changed")
