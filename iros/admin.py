from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from confidentiality.models import Submission
from confidentiality.services import grants_write, organization_group_ensure
from contacts.models import PointOfContact
from iros.models import Agreement, Event, Interaction, Membership, Organization, Region, ThematicArea
from portal.accounts.models import ORGANIZATION_ROLES


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            user = form.cleaned_data.get("user")
            # Committee experts and administrators see across organizations; a membership would narrow them.
            if user is not None and user.role not in ORGANIZATION_ROLES:
                form.add_error(
                    "user",
                    ValidationError(
                        _("%(user)s is a %(role)s: only focal points and members belong to an organization."),
                        params={"user": user, "role": user.get_role_display()},
                    ),
                )


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    autocomplete_fields = ("user",)
    readonly_fields = ("joined",)
    extra = 0


class PointOfContactInline(admin.TabularInline):
    model = PointOfContact
    fk_name = "organization"
    fields = ("role", "person", "title", "email", "phone", "since", "until", "state", "audience")
    # Who may see a contact changes only through the confidentiality service; `shared_with` shows on its own page.
    readonly_fields = ("state", "audience")
    show_change_link = True
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("acronym", "name", "kind", "seat", "member_count", "contact_count")
    list_filter = ("kind", "regions", "mandate_areas")
    search_fields = ("acronym", "name", "seat")
    autocomplete_fields = ("regions", "mandate_areas")
    readonly_fields = ("group",)
    fieldsets = (
        (None, {"fields": ("acronym", "name", "kind", "seat", "website", "description")}),
        (_("Scope"), {"fields": ("regions", "member_states", "mandate_areas")}),
        (_("Access"), {"fields": ("group",), "classes": ("collapse",)}),
    )
    inlines = (MembershipInline, PointOfContactInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _member_count=Count("memberships", distinct=True),
                _contact_count=Count("contacts_pointofcontact_owned", distinct=True),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # The acronym names the organization's access group and appears in URLs: fixed once created.
        if obj is not None:
            return (*self.readonly_fields, "acronym")
        return self.readonly_fields

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, organization: Organization) -> int:
        return organization._member_count

    @admin.display(description=_("points of contact"), ordering="_contact_count")
    def contact_count(self, organization: Organization) -> int:
        return organization._contact_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Every organization needs its access group before anything can be shared with it.
        organization_group_ensure(obj)

    def save_formset(self, request, form, formset, change):
        formset.save()
        # Contacts added inline are drafts; their owner still needs its grants to see them.
        for obj in formset.new_objects:
            if isinstance(obj, Submission):
                grants_write(obj)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "user_role", "joined")
    list_filter = ("user__role", "organization__kind")
    search_fields = ("user__username", "user__email", "organization__acronym", "organization__name")
    autocomplete_fields = ("user", "organization")
    list_select_related = ("user", "organization")
    readonly_fields = ("joined",)
    date_hierarchy = "joined"

    @admin.display(description=_("role"), ordering="user__role")
    def user_role(self, membership: Membership) -> str:
        return membership.user.get_role_display()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["user"].queryset = form.base_fields["user"].queryset.filter(role__in=ORGANIZATION_ROLES)
        return form


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)


@admin.register(ThematicArea)
class ThematicAreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "family", "position")
    list_filter = ("family",)
    search_fields = ("code", "name")
    ordering = ("family", "position", "code")


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "signed_on_display", "committee_is_party")
    list_filter = ("kind", "committee_is_party")
    search_fields = ("title", "summary", "parties__acronym")
    autocomplete_fields = ("parties",)
    date_hierarchy = "signed_on"

    @admin.display(description=_("signed on"), ordering="signed_on")
    def signed_on_display(self, agreement: Agreement) -> str:
        return agreement.signed_on_display


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "start_date", "end_date", "place", "region", "attendance_count")
    list_filter = ("region", "thematic_areas")
    search_fields = ("title", "place", "organizer", "theme")
    autocomplete_fields = ("region", "thematic_areas", "participants")
    list_select_related = ("region",)
    date_hierarchy = "start_date"


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("date_display", "kind", "organization_list", "summary_excerpt", "follow_up_due", "public")
    list_filter = ("kind", "public", "date_precision")
    search_fields = ("summary", "outcome", "follow_up", "organizations__acronym")
    autocomplete_fields = ("organizations", "recorded_by", "event", "program", "agreement")
    readonly_fields = ("created",)
    date_hierarchy = "date"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organizations")

    @admin.display(description=_("date"), ordering="date")
    def date_display(self, interaction: Interaction) -> str:
        return interaction.date_display

    @admin.display(description=_("organizations involved"))
    def organization_list(self, interaction: Interaction) -> str:
        return ", ".join(o.acronym for o in interaction.organizations.all())

    @admin.display(description=_("summary"))
    def summary_excerpt(self, interaction: Interaction) -> str:
        return interaction.summary if len(interaction.summary) <= 80 else f"{interaction.summary[:79]}…"

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
