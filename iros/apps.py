from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IrosConfig(AppConfig):
    name = "iros"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        # Models are loaded only once the registry is ready.
        from iros.filters import INTERACTION_LIST
        from iros.imports import EVENTS, INTERACTIONS
        from iros.policies import register_policies
        from portal.imports.importers import register
        from portal.preferences.lists import register_list

        register_policies()
        register(INTERACTIONS)
        register(EVENTS)
        register_list(INTERACTION_LIST)
