from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IrosConfig(AppConfig):
    name = "iros"
    verbose_name = _("Organizations")
