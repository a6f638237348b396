from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iros.models import Organization
from portal.accounts.forms import ORGANIZATION_HELP, RoleOrganizationCheckMixin
from portal.accounts.models import User
from portal.accounts.services import user_deactivate, user_reactivate, user_set_role


class RoleOrganizationFormMixin(RoleOrganizationCheckMixin, forms.Form):
    """The account's organization, edited beside its role and checked against it (required for IRO roles)."""

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(),
        required=False,
        label=_("organization"),
        help_text=ORGANIZATION_HELP,
    )


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
        role, is_active = obj.role, obj.is_active
        if change and obj.pk != request.user.pk:
            # Role and activity change through the services below, which check, log and end the sign-ins.
            obj.role = form.initial.get("role", role)
            obj.is_active = form.initial.get("is_active", is_active)
        super().save_model(request, obj, form, change)
        if obj.pk == request.user.pk:
            return
        organization = form.cleaned_data.get("organization")
        user_set_role(actor=request.user, user=obj, role=role, organization=organization, request=request)
        if is_active != obj.is_active:
            change_activity = user_reactivate if is_active else user_deactivate
            change_activity(actor=request.user, user=obj, request=request)

    @admin.action(description=_("Deactivate selected users"))
    def deactivate_users(self, request, queryset):
        done = 0
        for user in queryset.exclude(pk=request.user.pk).filter(is_active=True):
            user_deactivate(actor=request.user, user=user, request=request)
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
