"""No page before the second sign-in step: `TwoFactorMiddleware`."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from rest_framework.authentication import get_authorization_header

from portal.accounts.two_factor import flow
from portal.api.authentication import ActiveUserTokenAuthentication

# What a session may still open while it owes a step: the step's own pages, signing in again or out, and the
# language switch. Static files never reach the URL resolver (WhiteNoise, or the development server's handler).
OPEN_WHILE_DUE = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_verify",
        "accounts:two_factor_enrol",
        "set_language",
    }
)


def _authenticated_by_token(request) -> bool:
    # DRF authenticates a request that names the token scheme by the token alone (or answers 401), never by the
    # session; any other Authorization header falls through to the session, so it does not count.
    scheme = get_authorization_header(request).split()[:1]
    return bool(scheme) and scheme[0].lower() == ActiveUserTokenAuthentication.keyword.lower().encode()


class TwoFactorMiddleware:
    """Sends a signed-in session that owes the second step to it before any page, the Django admin included: a
    user with two-factor sign-in on proves it (the verify page), a user whose role requires it and who has none
    sets it up (the enrolment page), then goes on to the page they asked for.

    Under `/api/` a session that owes a step is refused with a 403 JSON body; a request that carries an API token
    is left to the token, which is the credential that was set up for it. Runs after django-otp's
    `OTPMiddleware` (which gives `request.user.is_verified()`), in `process_view`, where the route is known.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = flow.step_due(request)
        match = request.resolver_match
        if step is None or match.view_name in OPEN_WHILE_DUE:
            return None
        if "api" in match.namespaces:
            if _authenticated_by_token(request):
                return None
            return JsonResponse({"detail": _("Complete two-factor sign-in in the portal first.")}, status=403)
        return redirect(flow.step_url(step, request.get_full_path()))
