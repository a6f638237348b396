from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from portal.accounts.policies import register_policies  # models load only once apps are ready
        from portal.accounts.two_factor.flow import remember_on_sign_in  # models load only once apps are ready

        register_policies()
        user_logged_in.connect(remember_on_sign_in, dispatch_uid="two_factor_remember_on_sign_in")
