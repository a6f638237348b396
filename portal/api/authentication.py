"""Token authentication on the portal's own tokens (`portal.accounts.models.ApiToken`): hashed, named, expiring,
revocable. Every refusal is a 401 whose JSON body says why, so a script's owner knows what to do."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from portal.accounts.selectors import api_token_for_key
from portal.accounts.services import api_token_record_use


class ActiveUserTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`: an unknown, revoked or expired token, or a deactivated account's, answers 401
    (never anonymous access, even to public reads)."""

    def authenticate_credentials(self, key):
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        api_token_record_use(token)
        return token.user, token
