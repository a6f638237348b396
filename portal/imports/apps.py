from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "portal.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        # Models load only once apps are ready. The tasks module is imported so its tasks are registered by name
        # in every process (web, worker, beat), whatever else was imported.
        from portal.imports import tasks  # noqa: F401
        from portal.imports.policies import register_policies

        register_policies()
