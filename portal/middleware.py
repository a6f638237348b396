"""What every answer of the portal carries, and the API's server errors in JSON.

- `Permissions-Policy` on every response: the portal uses no device, sensor or payment API, so no page (nor
  anything injected into one) may ask for them.
- `Cache-Control: no-store` (with `private`) on every answer to a signed-in user, pages and API alike: what they
  see depends on who they are and may be confidential, so neither a shared cache nor the browser's may keep it.
  Downloads and exports already carry it (`portal.kernel.downloads.attachment_response`).
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views import defaults

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
API_PREFIX = "/api/"


class ResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Read after the view: an API token's user is known only once the API view has authenticated it.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 answer (`handler500`): JSON for API clients, the error page for people."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
