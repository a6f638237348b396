from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Models load only once apps are ready.
        from portal.accounts.policies import register_policies
        from portal.accounts.receivers import connect_receivers
        from portal.accounts.services import api_tokens_revoke_on_credentials_revoked
        from portal.accounts.signals import credentials_revoked
        from portal.accounts.two_factor.flow import remember_on_sign_in

        register_policies()
        connect_receivers()
        credentials_revoked.connect(api_tokens_revoke_on_credentials_revoked, dispatch_uid="accounts.api_tokens")
        user_logged_in.connect(remember_on_sign_in, dispatch_uid="two_factor_remember_on_sign_in")
