"""Forms of the accounts pages. They validate and shape input; the rules are the services' and the policy's."""

from __future__ import annotations

import unicodedata

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordMixin
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from iros.fields import OrganizationChoiceField
from portal.accounts.models import Role, User
from portal.accounts.services import user_role_validate, username_validate
from portal.kernel.forms import ServiceErrorsMixin
from portal.kernel.text import is_storable


def _same_address(first: str, second: str) -> bool:
    return unicodedata.normalize("NFKC", first).casefold() == unicodedata.normalize("NFKC", second).casefold()


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset form, which also mails accounts that have no password yet (made by the API or the command
    line without one): setting a password through the link is how such an account first signs in."""

    def get_users(self, email):
        users = User._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if _same_address(email, user.email))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # In the account's saved language; without one, in the language of whoever asked for the reset.
        with translation.override(context["user"].language or translation.get_language()):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class RoleOrganizationCheckMixin(ServiceErrorsMixin):
    """Checks a form's role and organization together (the services' rule) before anything is saved: a mismatch
    is an error on the field to correct, never a silent change."""

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role", getattr(getattr(self, "instance", None), "role", None))
        if role:
            try:
                user_role_validate(role=role, organization=cleaned.get("organization"))
            except ValidationError as error:
                self.add_service_error(error)
        return cleaned


ORGANIZATION_HELP = _("Required for focal points and members; empty for Committee experts and administrators.")


class RoleForm(RoleOrganizationCheckMixin, forms.Form):
    """A role and an organization, offered as far as the acting user may give them."""

    role = forms.ChoiceField(label=_("Role"))
    organization = OrganizationChoiceField(label=_("Organization"), required=False, help_text=ORGANIZATION_HELP)

    def __init__(self, *args, roles: list[str], organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]
        self.fields["organization"].queryset = organizations


class InvitationForm(RoleForm):
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The invitation link is sent there."))

    field_order = ["email", "role", "organization"]


class InvitationAcceptForm(ServiceErrorsMixin, SetPasswordMixin, forms.Form):
    """The invitee's username and password. The password is judged by Django's validators, as the service will."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("You sign in with it. Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        if invitation.username:
            # The account's name was chosen for the invitee.
            self.fields["username"].disabled = True
            self.fields["username"].initial = invitation.username

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if not self.invitation.username:  # else it was checked when the invitation was made
            try:
                username_validate(username)
            except ValidationError as error:
                raise ValidationError(error.message_dict["username"]) from error
        return username

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        provisional = User(username=cleaned.get("username", ""), email=self.invitation.email)
        self.validate_password_for_user(provisional)
        return cleaned

    def add_service_error(self, error: ValidationError) -> None:
        # The service names the password "password"; here it is typed twice, and its errors go under the second.
        if hasattr(error, "error_dict") and "password" in error.error_dict:
            error = ValidationError(
                {"password2" if name == "password" else name: errors for name, errors in error.error_dict.items()}
            )
        super().add_service_error(error)


class LanguageSelect(forms.Select):
    """The languages, each named in itself (in its own `lang`, not for translation), as the switcher names them."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value:
            option["attrs"].update({"lang": value, "translate": "no"})
        return option


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language"]
        labels = {"language": _("Language")}
        widgets = {"language": LanguageSelect}
        help_texts = {
            "email": _("Invitations, password resets and notifications are sent there."),
            "language": _("The portal's language for you, wherever you sign in; empty: as your browser asks."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As my browser asks")), *self.fields["language"].choices[1:]]


class SignInUsernameMixin:
    """Refuses a username no account can have (too long, or text PostgreSQL cannot hold) before anything looks it
    up — Django's sign-in form checks no length — with the same message as a wrong password: a sign-in attempt
    says nothing more about an odd name than about an unknown one."""

    def clean_username(self):
        username = self.cleaned_data.get("username") or ""
        if len(username) > User._meta.get_field("username").max_length or not is_storable(username):
            raise self.get_invalid_login_error()
        return username


class PortalAuthenticationForm(SignInUsernameMixin, AuthenticationForm):
    pass


class PortalAdminAuthenticationForm(SignInUsernameMixin, AdminAuthenticationForm):
    pass
