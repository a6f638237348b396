from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iros.models import Organization
from portal.accounts.models import User
from portal.accounts.services import user_deactivate, user_role_validate, user_set_role


class RoleOrganizationFormMixin(forms.Form):
    """The account's organization, edited beside its role and checked against it (required for IRO roles)."""

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(),
        required=False,
        label=_("organization"),
        help_text=_("Required for focal points and members; empty for Committee experts and administrators."),
    )

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role", getattr(self.instance, "role", None))
        if role:
            try:
                user_role_validate(role=role, organization=cleaned.get("organization"))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return cleaned


class PortalUserCreationForm(RoleOrganizationFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email", "role")


class PortalUserChangeForm(RoleOrganizationFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = getattr(self.instance, "membership", None) if self.instance.pk else None
        if membership is not None:
            self.fields["organization"].initial = membership.organization_id


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    list_display = (
        "username",
        "email",
        "role",
        "membership__organization__acronym",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_filter = ("role", "is_active", "is_staff", "membership__organization__kind")
    list_select_related = ("membership__organization",)
    search_fields = ("username", "first_name", "last_name", "email", "membership__organization__acronym")
    # Staff and superuser follow from the role (services.user_set_role); groups and permissions play no part:
    # visibility comes from the role and the membership.
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Portal access"), {"fields": ("role", "organization", "is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "role", "organization", "usable_password", "password1", "password2"),
            },
        ),
    )
    actions = ("deactivate_users",)

    def get_readonly_fields(self, request, obj=None):
        # Administrators cannot demote or deactivate themselves: the portal must keep someone to manage it.
        if obj is not None and obj.pk == request.user.pk:
            return (*self.readonly_fields, "role", "is_active")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.pk != request.user.pk:
            user_set_role(
                actor=request.user, user=obj, role=obj.role, organization=form.cleaned_data.get("organization")
            )
            if change and "is_active" in form.changed_data and not obj.is_active:
                user_deactivate(actor=request.user, user=obj)

    @admin.action(description=_("Deactivate selected users"))
    def deactivate_users(self, request, queryset):
        done = 0
        for user in queryset.exclude(pk=request.user.pk).filter(is_active=True):
            user_deactivate(actor=request.user, user=user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", done) % {"count": done},
            messages.SUCCESS,
        )


# Groups here are the confidentiality index's keys (one per organization, plus "all IRO members" and "public"),
# named and created by the portal itself: renaming or deleting one would break the grants that point at it.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    list_display = ("name", "organization")
    list_select_related = ("organization",)
    fields = ("name", "organization")
    readonly_fields = ("name", "organization")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
