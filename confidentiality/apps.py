from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    # A flush (tests) or migration recreates groups and permissions with new ids: forget the cached ones and
    # make sure the two shared groups exist again, over the migrating connection (`migrate` runs as the owner,
    # before the application's role may exist). Imported here: models load only once apps are ready.
    from django.contrib.auth.models import Group

    from confidentiality import index
    from confidentiality.groups import ALL_IROS_GROUP, PUBLIC_GROUP

    index.reset_caches()
    for name in (ALL_IROS_GROUP, PUBLIC_GROUP):
        Group.objects.using(using).get_or_create(name=name)
        if using == DEFAULT_DB_ALIAS:
            index.shared_group_id(name)  # the running portal's cache, warm again


class ConfidentialityConfig(AppConfig):
    name = "confidentiality"
    verbose_name = _("Confidentiality")

    def ready(self) -> None:
        from confidentiality.policies import register_audit_policy  # models load only once apps are ready

        register_audit_policy()
        post_migrate.connect(_after_migrate, dispatch_uid="confidentiality.after_migrate")
