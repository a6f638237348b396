"""Token authentication that refuses inactive users outright (401), whatever DRF's default does."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class ActiveUserTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; a deactivated account's token answers 401, never anonymous access."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        # DRF checks this too today; the contract depends on it, so it is stated here rather than inherited.
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
