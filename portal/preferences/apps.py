from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreferencesConfig(AppConfig):
    name = "portal.preferences"
    label = "preferences"
    verbose_name = _("List preferences")

    def ready(self) -> None:
        from portal.preferences.policies import register_policies  # models load only once apps are ready

        register_policies()
