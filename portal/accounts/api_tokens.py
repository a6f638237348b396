"""The API tokens page (`/accounts/tokens/`): a signed-in user's own tokens, making one and revoking one.

A new token's key is shown once, on the page that answers the form (never stored, never in a URL or a session);
the page is not cached. Who may make a token, and who may revoke one, is decided by `portal.accounts.selectors`
and the token policy; these views validate, call one service and render.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts import selectors, services
from portal.accounts.models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=gettext_lazy("What the token is for, e.g. “nightly export”: you will see it in this list."),
    )


def _second_factor_verified(request) -> bool:
    # django-otp's OTPMiddleware gives the user `is_verified()`; without it, no session counts as verified.
    return getattr(request.user, "is_verified", lambda: False)()


def _token_list(request, form: ApiTokenForm):
    context = {
        "tokens": selectors.api_token_list_for(actor=request.user),
        "form": form,
        "token_days": settings.API_TOKEN_DAYS,
        "may_create": selectors.api_token_creation_allowed(
            request.user, second_factor_verified=_second_factor_verified(request)
        ),
    }
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_GET
def token_list_view(request):
    return _token_list(request, ApiTokenForm())


@never_cache
@login_required
@require_POST
def token_create_view(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _token_list(request, form)
    token, key = services.api_token_create(
        actor=request.user,
        name=form.cleaned_data["name"],
        second_factor_verified=_second_factor_verified(request),
        request=request,
    )
    return render(request, "accounts/api_token_created.html", {"token": token, "key": key})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_view(request, token_id: int):
    token = selectors.api_token_get_for(actor=request.user, token_id=token_id)
    if token.is_revoked:
        messages.info(request, _("The token “%(name)s” was already revoked.") % {"name": token.name})
        return redirect("accounts:tokens")
    if request.method == "POST":
        services.api_token_revoke(actor=request.user, token=token, request=request)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("accounts:tokens")
    return render(request, "accounts/api_token_revoke.html", {"token": token})
