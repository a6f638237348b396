from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        # Models (and axes' signals) load only once apps are ready; the tasks module registers its tasks by name.
        from portal.security import tasks  # noqa: F401
        from portal.security.policies import register_policies
        from portal.security.receivers import connect_receivers

        register_policies()
        connect_receivers()
