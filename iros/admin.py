from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from confidentiality.models import Submission
from confidentiality.services import grants_write, organization_group_ensure
from contacts.models import PointOfContact
from iros.models import (
    REFERENCE_ORDER,
    TRANSLATED_LANGUAGES,
    Agreement,
    Event,
    Interaction,
    Membership,
    Organization,
    Region,
    ThematicArea,
)
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


def _name_field(language: str) -> forms.CharField:
    native = dict(settings.LANGUAGES)[language]
    return forms.CharField(
        label=format_lazy("{} ({})", _("name"), native),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.TextInput(attrs={"lang": language, "dir": "auto", "class": "vTextField"}),
    )


class ReferenceNamesForm(forms.ModelForm):
    """A reference row's names in the other languages, one field per language, stored together in
    `name_translations`: only the portal's languages can be entered, and a blank field leaves the language out
    (the English name shows)."""

    name_ar = _name_field("ar")
    name_es = _name_field("es")
    name_fr = _name_field("fr")
    name_ru = _name_field("ru")
    name_zh_hans = _name_field("zh-hans")

    @staticmethod
    def field_name(language: str) -> str:
        return f"name_{language.replace('-', '_')}"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for language in TRANSLATED_LANGUAGES:
            self.fields[self.field_name(language)].initial = self.instance.name_translations.get(language, "")

    def clean(self):
        cleaned = super().clean()
        translations = {
            language: cleaned[self.field_name(language)]
            for language in TRANSLATED_LANGUAGES
            if cleaned.get(self.field_name(language))
        }
        # The field is not on the form, so its validator runs here, as `full_clean` would.
        self.instance.name_translations = translations
        try:
            self.instance._meta.get_field("name_translations").run_validators(translations)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class ReferenceNamesAdmin(admin.ModelAdmin):
    form = ReferenceNamesForm
    names_fieldset = (
        _("Name in other languages"),
        {
            "fields": tuple(ReferenceNamesForm.field_name(language) for language in TRANSLATED_LANGUAGES),
            "description": _("A language left blank shows the English name."),
        },
    )

    @admin.display(description=_("translated into"))
    def translated_languages(self, row) -> str:
        return ", ".join(language for language in TRANSLATED_LANGUAGES if language in row.name_translations) or "—"


@admin.register(Region)
class RegionAdmin(ReferenceNamesAdmin):
    list_display = ("code", "name", "translated_languages", "parent")
    search_fields = ("code", "name", "name_translations")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)

    def get_fieldsets(self, request, obj=None):
        return ((None, {"fields": ("code", "name", "parent")}), self.names_fieldset)


@admin.register(ThematicArea)
class ThematicAreaAdmin(ReferenceNamesAdmin):
    list_display = ("code", "name", "translated_languages", "family", "position")
    list_filter = ("family",)
    search_fields = ("code", "name", "name_translations")
    ordering = REFERENCE_ORDER

    def get_fieldsets(self, request, obj=None):
        return ((None, {"fields": ("code", "family", "name", "position")}), self.names_fieldset)


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
