"""Pages of the accounts app: the accounts of an administrator's portal or a focal point's organization,
invitations (sending them, and the page their link opens), and every user's own profile and sessions.

Views validate input, call one selector or service and render. An account the viewer may not see answers 404
like a missing one; one it sees but may not change answers 403 (`portal.accounts.policies`).
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from confidentiality import policies
from portal.accounts import selectors, services
from portal.accounts.filters import InvitationFilterSet, UserFilterSet
from portal.accounts.forms import InvitationAcceptForm, InvitationForm, ProfileForm, RoleForm
from portal.accounts.models import Invitation, Role
from portal.kernel.lists import filtered_page

USERS_PER_PAGE = 50
INVITATIONS_PER_PAGE = 50
# The backend that signs a new account in: the one that keeps the user on later requests, whatever else is listed.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _require_account_manager(request) -> None:
    if not selectors.can_manage_accounts(actor=request.user):
        raise PermissionDenied(_("Only administrators and focal points manage accounts."))


def _managed_user(request, user_id: int):
    _require_account_manager(request)
    return selectors.user_get_for(actor=request.user, user_id=user_id)


# --- accounts -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def user_list_view(request):
    _require_account_manager(request)
    context = filtered_page(
        request, UserFilterSet, selectors.user_list_for(actor=request.user), per_page=USERS_PER_PAGE
    )
    context["column_2fa"] = True
    context["can_invite"] = bool(selectors.roles_assignable_for(actor=request.user))
    return render(request, "accounts/user_list.html", context)


@login_required
@require_GET
def user_detail_view(request, user_id: int):
    user = _managed_user(request, user_id)
    permissions = selectors.user_permissions_for(actor=request.user, user=user)
    sessions = selectors.session_list_for(actor=request.user, user=user) if permissions["can_revoke"] else []
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": user,
            "organization": selectors.organization_of(user),
            "sessions": sessions,
            "column_2fa": True,
            **permissions,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_role_view(request, user_id: int):
    """Change role and organization in two steps: the form, then a confirmation saying what access changes."""
    user = _managed_user(request, user_id)
    roles = selectors.roles_assignable_for(actor=request.user, user=user)
    if not roles:
        raise PermissionDenied(_("You may not change this account's role."))
    options = {"roles": roles, "organizations": selectors.organizations_assignable_for(actor=request.user)}
    current = selectors.organization_of(user)
    if request.method == "GET":
        form = RoleForm(initial={"role": user.role, "organization": current and current.acronym}, **options)
        return render(request, "accounts/user_role_form.html", {"account": user, "form": form})
    form = RoleForm(request.POST, **options)
    if form.is_valid():
        role, organization = form.cleaned_data["role"], form.cleaned_data["organization"]
        if role == user.role and organization == current:
            form.add_error(None, _("This is the account's role and organization already: nothing would change."))
        elif "confirm" not in request.POST:
            consequences = selectors.role_change_consequences(user=user, role=role, organization=organization)
            return render(
                request,
                "accounts/user_role_confirm.html",
                {"account": user, "form": form, "organization": organization, "consequences": consequences},
            )
        else:
            try:
                services.user_set_role(
                    actor=request.user, user=user, role=role, organization=organization, request=request
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request, _("%(username)s is now: %(role)s.") % {"username": user.username, "role": Role(role).label}
                )
                return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_role_form.html", {"account": user, "form": form})


def _user_action(request, user_id: int, *, action: str, permission: str, service, done: str):
    """A confirmation page (GET) and the action it confirms (POST) on one account."""
    user = _managed_user(request, user_id)
    if not selectors.user_permissions_for(actor=request.user, user=user)[permission]:
        raise PermissionDenied(_("You may not do this to this account."))
    if request.method == "POST":
        try:
            service(actor=request.user, user=user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done % {"username": user.username})
        return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_action_confirm.html", {"account": user, "action": action})


@login_required
@require_http_methods(["GET", "POST"])
def user_deactivate_view(request, user_id: int):
    return _user_action(
        request,
        user_id,
        action="deactivate",
        permission="can_change_status",
        service=services.user_deactivate,
        done=_("The account %(username)s was deactivated."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_reactivate_view(request, user_id: int):
    return _user_action(
        request,
        user_id,
        action="reactivate",
        permission="can_change_status",
        service=services.user_reactivate,
        done=_("The account %(username)s was reactivated."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_revoke_view(request, user_id: int):
    return _user_action(
        request,
        user_id,
        action="revoke",
        permission="can_revoke",
        service=services.user_revoke_credentials,
        done=_("Every session and API token of %(username)s was ended."),
    )


# --- invitations ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def invitation_list_view(request):
    _require_account_manager(request)
    invitations = selectors.invitation_list_for(actor=request.user)
    context = filtered_page(request, InvitationFilterSet, invitations, per_page=INVITATIONS_PER_PAGE)
    context["can_invite"] = bool(selectors.roles_assignable_for(actor=request.user))
    return render(request, "accounts/invitation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create_view(request):
    _require_account_manager(request)
    roles = selectors.roles_assignable_for(actor=request.user)
    if not roles:
        raise PermissionDenied(_("You may not invite anyone."))
    organizations = selectors.organizations_assignable_for(actor=request.user)
    options = {"roles": roles, "organizations": organizations}
    if request.method == "POST":
        form = InvitationForm(request.POST, **options)
        if form.is_valid():
            try:
                invitation = services.invitation_send(actor=request.user, request=request, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s; its link works for %(days)d days.")
                    % {"email": invitation.email, "days": settings.INVITATION_DAYS},
                )
                return redirect("accounts:invitations")
    else:
        own = policies.own_organization(request.user)
        form = InvitationForm(initial={"organization": own and own.acronym}, **options)
    return render(request, "accounts/invitation_form.html", {"form": form})


def _invitation_action(request, invitation_id: int, *, action: str, service, done: str):
    _require_account_manager(request)
    invitation = selectors.invitation_get_for(actor=request.user, invitation_id=invitation_id)
    if request.method == "POST":
        try:
            service(actor=request.user, invitation=invitation, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done % {"email": invitation.email})
        return redirect("accounts:invitations")
    return render(request, "accounts/invitation_confirm.html", {"invitation": invitation, "action": action})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_resend_view(request, invitation_id: int):
    return _invitation_action(
        request,
        invitation_id,
        action="resend",
        service=services.invitation_resend,
        done=_("A new invitation link was sent to %(email)s; the previous one no longer works."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_revoke_view(request, invitation_id: int):
    return _invitation_action(
        request,
        invitation_id,
        action="revoke",
        service=services.invitation_revoke,
        done=_("The invitation to %(email)s was revoked."),
    )


def _invitation_unavailable(request, status: str | None):
    """Expired, used or revoked: 410 Gone with what to do; an unknown link: 404."""
    return render(
        request, "accounts/invitation_unavailable.html", {"status": status}, status=404 if status is None else 410
    )


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, secret: str):
    """The page an invitation's link opens: choose a username and a password, and the account is ready."""
    invitation = selectors.invitation_for_secret(secret)
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return _invitation_unavailable(request, invitation and invitation.status)
    if request.method == "POST":
        form = InvitationAcceptForm(request.POST, invitation=invitation)
        if form.is_valid():
            try:
                user = services.invitation_accept(
                    invitation=invitation,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                    request=request,
                )
            except services.InvitationUnavailable as unavailable:
                return _invitation_unavailable(request, unavailable.status)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                login(request, user, backend=MODEL_BACKEND)
                messages.success(request, _("Welcome, %(username)s: your account is ready.") % {"username": user})
                return redirect("accounts:profile")
    else:
        form = InvitationAcceptForm(
            invitation=invitation, initial={"username": selectors.suggested_username(invitation.email)}
        )
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})


# --- the signed-in user's own profile and sessions ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    own = selectors.user_get_for(actor=request.user, user_id=request.user.pk)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=own)
        if form.is_valid():
            try:
                user = services.user_profile_update(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your profile was saved."))
                response = redirect("accounts:profile")
                # The saved language takes effect at once in this browser (the cookie the language switcher sets).
                if user.language:
                    response.set_cookie(
                        settings.LANGUAGE_COOKIE_NAME,
                        user.language,
                        max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH,
                        domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE,
                        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                    )
                return response
    else:
        form = ProfileForm(instance=own)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "sessions": selectors.session_list_for(actor=request.user, user=request.user),
            "current_session_key": request.session.session_key,
        },
    )


def language_set_view(request):
    """Django's `set_language` (the language cookie, then back to `next`); a signed-in user's choice is also saved
    on their profile, so it follows them to other browsers and into their e-mails."""
    response = set_language(request)
    # The cookie is set only for a language Django has messages for; the profile's field keeps to the portal's
    # six, and a language outside them (Django ships German) stays in the cookie, where LocaleMiddleware ignores it.
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie is not None and request.user.is_authenticated:
        with contextlib.suppress(ValidationError):
            services.user_language_set(actor=request.user, language=cookie.value)
    return response


@login_required
@require_POST
def session_revoke_view(request, session_id: int):
    session = selectors.session_get_for(actor=request.user, session_id=session_id)
    current = session.session_key == request.session.session_key
    services.session_end(actor=request.user, session=session, request=request)
    if current:
        logout(request)
        return redirect(settings.LOGIN_URL)
    messages.success(request, _("That session was ended: the browser that held it is signed out."))
    return redirect("accounts:profile")


@login_required
@require_POST
def sessions_revoke_all_view(request):
    services.sessions_end_all(actor=request.user, request=request)
    logout(request)
    messages.success(request, _("You were signed out everywhere, here too. API tokens are unchanged."))
    return redirect(settings.LOGIN_URL)
