"""The two-factor pages: the second sign-in step, enrolment, backup codes, the user's settings, an administrator's
reset. Views validate, call one service or selector and render; `flow` keeps the session's side of the step.

The pages that change two-factor sign-in ask a session whose user has it on to prove it first, reading the
database rather than the session's remembered answer, so a session opened with the password alone never
manages (or switches off) a second factor.
"""

from __future__ import annotations

import base64
from functools import wraps
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from qrcode.image.svg import SvgPathFillImage

from portal.accounts.selectors import two_factor_required
from portal.accounts.two_factor import flow, selectors, services
from portal.accounts.two_factor.forms import TwoFactorCodeForm
from portal.accounts.two_factor.selectors import Step


def _next_url(request, default: str) -> str:
    """Where to go once done: the `next` the page was given when it is a page of this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next")
    # A path of this site only: anything else (a bare word included, which `redirect` would try as a URL name)
    # falls back to the default.
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return resolve_url(default)


def _qr_code_data_uri(text: str) -> str:
    # SVG drawn with attributes only (no style attribute the Content-Security-Policy would refuse), as a data:
    # image, which `img-src` allows; a white background so that dark themes still scan.
    svg = qrcode.make(text, image_factory=SvgPathFillImage, box_size=10, border=4).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _in_groups(text: str) -> str:
    # Secrets and codes copied by hand read best in groups of four; authenticator apps and `services` ignore spaces.
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))


def _secret_for_typing(device) -> str:
    # The base32 secret authenticator apps take when the QR code cannot be scanned.
    return _in_groups(base64.b32encode(device.bin_key).decode("ascii").rstrip("="))


def verified_if_enabled(view):
    """The view runs for a user without two-factor sign-in, or for a session that has proved it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_verified() and selectors.two_factor_enabled(request.user):
            flow.remember_enabled(request, True)
            return redirect(flow.step_url(Step.VERIFY, request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify_view(request):
    """The second sign-in step, after the password: a code from the authenticator app, or a backup code."""
    next_url = _next_url(request, settings.LOGIN_REDIRECT_URL)
    user = request.user
    if user.is_verified():
        return redirect(next_url)
    if not selectors.two_factor_enabled(user):
        flow.remember_enabled(request, False)
        return redirect(flow.step_url(Step.ENROL, next_url) if two_factor_required(user) else next_url)
    form = TwoFactorCodeForm(request.POST or None, backup_codes_accepted=True)
    if form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"], request=request)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            flow.verified_with(request, device)
            return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_enrol_view(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with its current code."""
    next_url = _next_url(request, "accounts:two_factor")
    user = request.user
    if selectors.two_factor_enabled(user):
        flow.remember_enabled(request, True)
        if user.is_verified():
            return redirect("accounts:two_factor")
        return redirect(flow.step_url(Step.VERIFY, next_url))
    device = services.two_factor_enrolment_start(user=user)
    form = TwoFactorCodeForm(request.POST or None, backup_codes_accepted=False)
    if form.is_valid():
        try:
            device, codes = services.two_factor_enrolment_confirm(
                user=user, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            flow.verified_with(request, device)
            flow.backup_codes_show_once(request, codes)
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(f"{reverse('accounts:two_factor_backup_codes')}?{urlencode({'next': next_url})}")
    context = {
        "form": form,
        "next": next_url,
        "required": two_factor_required(user),
        "qr_code": _qr_code_data_uri(device.config_url),
        "secret": _secret_for_typing(device),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@login_required
@verified_if_enabled
@require_http_methods(["GET", "POST"])
def two_factor_backup_codes_view(request):
    """The backup codes just made, shown once; and new ones on request (the old ones then stop working)."""
    next_url = _next_url(request, "accounts:two_factor")
    if not selectors.two_factor_enabled(request.user):
        return redirect("accounts:two_factor")
    if request.method == "POST":
        codes = services.two_factor_backup_codes_regenerate(user=request.user)
        flow.backup_codes_show_once(request, codes)
        messages.success(request, _("New backup codes were made; the old ones no longer work."))
        return redirect(request.get_full_path())
    codes = flow.backup_codes_to_show(request)
    context = {
        "codes": [_in_groups(code) for code in codes] if codes else None,
        "status": selectors.two_factor_status(actor=request.user),
        "next": next_url,
    }
    return render(request, "accounts/two_factor_backup_codes.html", context)


@login_required
@verified_if_enabled
@require_GET
def two_factor_manage_view(request):
    """The user's own two-factor sign-in: whether it is on, required, its backup codes; the ways to change it."""
    return render(
        request, "accounts/two_factor_manage.html", {"status": selectors.two_factor_status(actor=request.user)}
    )


@login_required
@verified_if_enabled
@require_http_methods(["GET", "POST"])
def two_factor_disable_view(request):
    """Turn one's own two-factor sign-in off, after a confirmation; refused (403) where the role requires it."""
    status = selectors.two_factor_status(actor=request.user)
    if not status.enabled:
        return redirect("accounts:two_factor")
    if status.required:
        raise PermissionDenied(_("Your role requires two-factor sign-in: it cannot be turned off."))
    if request.method == "POST":
        services.two_factor_disable(user=request.user, request=request)
        flow.remember_enabled(request, False)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("accounts:two_factor")
    return render(request, "accounts/two_factor_disable.html", {"status": status})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_reset_view(request, pk: int):
    """An administrator removes another account's two-factor sign-in, after a confirmation."""
    user = selectors.two_factor_reset_target(actor=request.user, user_id=pk)
    next_url = _next_url(request, reverse("admin:accounts_user_change", args=[user.pk]))
    if request.method == "POST":
        if services.two_factor_reset(actor=request.user, user=user, request=request):
            messages.success(
                request, _("Two-factor sign-in of %(username)s was reset.") % {"username": user.get_username()}
            )
        else:
            messages.info(
                request, _("%(username)s had no two-factor sign-in to reset.") % {"username": user.get_username()}
            )
        return redirect(next_url)
    context = {
        "target": user,
        "enabled": selectors.two_factor_enabled(user),
        "required": two_factor_required(user),
        "next": next_url,
    }
    return render(request, "accounts/two_factor_reset.html", context)
