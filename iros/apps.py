from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IrosConfig(AppConfig):
    name = "iros"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        # Models are loaded only once the registry is ready.
        from django.db.models.signals import post_delete, post_save

        from iros.filters import INTERACTION_LIST
        from iros.imports import EVENTS, INTERACTIONS
        from iros.models import Organization, Region, ThematicArea
        from iros.policies import register_policies
        from portal.imports.importers import register
        from portal.kernel.reference_choices import reference_data_changed
        from portal.preferences.lists import register_list

        register_policies()
        register(INTERACTIONS)
        register(EVENTS)
        register_list(INTERACTION_LIST)
        # The selects that offer them are built once per language (portal.kernel.reference_choices).
        for model in (Organization, Region, ThematicArea):
            post_save.connect(reference_data_changed, sender=model, dispatch_uid=f"reference-choices-{model.__name__}")
            post_delete.connect(
                reference_data_changed, sender=model, dispatch_uid=f"reference-choices-delete-{model.__name__}"
            )
