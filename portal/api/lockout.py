"""An API endpoint that takes a password: throttled by its own stricter rate, and locked out like the web login.

django-axes checks the lockout inside `authenticate()` (its backend comes first) and marks the request it was
given; DRF's serializers pass the DRF request, which axes' middleware never sees. This mixin reads the mark and
answers the lockout itself: 429 with a JSON body, the same message as the web sign-in.
"""

from axes.helpers import get_lockout_message
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError

from portal.api.throttles import TokenEndpointThrottle


class SignInLocked(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


class PasswordEndpointMixin:
    """Put it first among the bases of a view that authenticates with a username and password."""

    throttle_classes = [TokenEndpointThrottle]

    def handle_exception(self, exc):
        # The credentials' refusal of a locked-out pair becomes the lockout's own answer, whatever `post` does.
        if isinstance(exc, ValidationError) and getattr(self.request, "axes_locked_out", False):
            exc = SignInLocked(str(get_lockout_message()))
        return super().handle_exception(exc)
