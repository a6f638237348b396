from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        # Models (and axes' signals) load only once apps are ready.
        from portal.security.policies import register_policies
        from portal.security.receivers import connect_receivers

        register_policies()
        connect_receivers()
