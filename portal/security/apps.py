from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from portal.security.policies import register_policies  # models load only once apps are ready

        register_policies()
