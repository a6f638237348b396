"""What a locked-out sign-in sees (django-axes' `AXES_LOCKOUT_CALLABLE`).

The sign-in page that was asked for (the portal's or the admin's) comes back with its form and one error — the
lockout message, the same whether or not the username exists — never a redirect into the portal. Under /api/ the
answer is JSON.
"""

from __future__ import annotations

from axes.helpers import get_lockout_message
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

LOCKED_WEB_STATUS = 403
LOCKED_API_STATUS = 429


class LockedOutForm(AuthenticationForm):
    """The portal's sign-in form, bound to what was typed, whose only error is the lockout: it never
    authenticates (the attempt it stands for was refused already)."""

    def clean(self):
        raise ValidationError(str(get_lockout_message()), code="locked_out")


def lockout_response(request, original_response: HttpResponse | None = None, credentials=None) -> HttpResponse:
    message = str(get_lockout_message())
    if request.path.startswith(reverse("api:api-root")):
        return JsonResponse({"detail": message}, status=LOCKED_API_STATUS)
    form = (getattr(original_response, "context_data", None) or {}).get("form")
    if isinstance(form, BaseForm) and form.is_bound:
        # The page's own form (the portal's or the admin's): its "wrong password" error becomes the lockout.
        form.errors.clear()
        form.add_error(None, ValidationError(message, code="locked_out"))
        original_response.content = original_response.rendered_content
        original_response.status_code = LOCKED_WEB_STATUS
        return original_response
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LockedOutForm(request, data={"username": username, "password": "-"})
    form.is_valid()
    return render(request, "registration/login.html", {"form": form}, status=LOCKED_WEB_STATUS)
