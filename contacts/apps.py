from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Points of contact")

    def ready(self) -> None:
        # Models load only once apps are ready. The tasks module is imported so its tasks are registered by name
        # in every process (web, worker, beat), whatever else was imported.
        from contacts import tasks  # noqa: F401
        from contacts.filters import CONTACT_LIST
        from contacts.imports import CONTACTS
        from contacts.policies import register_policies
        from portal.imports.importers import register
        from portal.preferences.lists import register_list

        register_policies()
        register(CONTACTS)
        register_list(CONTACT_LIST)
