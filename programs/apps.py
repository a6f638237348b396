from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        from programs.policies import register_policies  # models are loaded only once the registry is ready

        register_policies()
        # Registers the tasks by name for `portal.kernel.queue.enqueue_on_commit`.
        from programs import tasks  # noqa: F401
