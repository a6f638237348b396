from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IrosConfig(AppConfig):
    name = "iros"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from iros.policies import register_policies  # models are loaded only once the registry is ready

        register_policies()
