from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Points of contact")

    def ready(self) -> None:
        from contacts.policies import register_policies  # models are loaded only once the registry is ready

        register_policies()
