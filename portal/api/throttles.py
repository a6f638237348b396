"""The API's throttles: anonymous callers and signed-in users each by rate, the token endpoint stricter.

Rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (the `API_THROTTLE_*` environment variables); a rate
of None (`off`) lets every request through. A refused request answers 429 with a JSON body and `Retry-After`.
Clients are told apart by REMOTE_ADDR (`NUM_PROXIES` 0), the address axes' lockout uses too.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class SettingsRateMixin:
    """The rate read from the settings at each request: DRF reads it once, at import, so a changed setting (a
    test's) would never take effect."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class AnonymousThrottle(SettingsRateMixin, AnonRateThrottle):
    """Anonymous callers, by address (`API_THROTTLE_ANON`)."""


class UserThrottle(SettingsRateMixin, UserRateThrottle):
    """Signed-in callers, by account (`API_THROTTLE_USER`); anonymous ones are left to `AnonymousThrottle`."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class TokenEndpointThrottle(SettingsRateMixin, AnonRateThrottle):
    """Password guesses at the token endpoint, by address (`API_THROTTLE_TOKEN`), whoever the caller is."""

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
