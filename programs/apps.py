from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        # Models load only once apps are ready. The tasks module is imported so its tasks are registered by name
        # in every process (web, worker, beat), whatever else was imported.
        from portal.imports.importers import register
        from portal.preferences.lists import register_list
        from programs import tasks  # noqa: F401
        from programs.imports import PROGRAMS
        from programs.policies import register_policies
        from programs.tables import PROGRAM_LIST

        register_policies()
        register(PROGRAMS)
        register_list(PROGRAM_LIST)
