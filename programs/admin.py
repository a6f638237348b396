from django.contrib import admin
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from confidentiality.admin import GrantAdmin, HistoryReadOnlyMixin, SubmissionAdminMixin
from programs.models import Document, Program, ProgramGrant, ProgramPartner, Tag
from programs.services import document_delete, program_delete

# Documents are uploaded through the portal's checked view, which enforces size and type limits and never
# exposes a media URL; the admin lists and deletes them, and renames their titles.
DOCUMENT_READONLY_FIELDS = ("filename", "content_type", "human_size", "uploaded_by", "uploaded_at")


class ProgramPartnerInline(admin.TabularInline):
    model = ProgramPartner
    autocomplete_fields = ("organization",)
    extra = 0


class DocumentInline(admin.TabularInline):
    model = Document
    fields = ("title", *DOCUMENT_READONLY_FIELDS)
    readonly_fields = DOCUMENT_READONLY_FIELDS
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("size"))
    def human_size(self, document: Document) -> str:
        return filesizeformat(document.size)


@admin.register(Program)
class ProgramAdmin(SubmissionAdminMixin, HistoryReadOnlyMixin, SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "organization", "status", "state", "audience", "start_date", "end_date", "updated")
    list_filter = ("state", "audience", "status", "assistance_on_request", "organization__kind", "thematic_areas")
    search_fields = ("title", "summary", "organization__acronym", "organization__name")
    autocomplete_fields = ("organization", "thematic_areas", "regions", "tags")
    list_select_related = ("organization",)
    readonly_fields = ("created", "updated")
    date_hierarchy = "updated"
    fieldsets = (
        (None, {"fields": ("organization", "title", "summary", "status", "website")}),
        (_("Dates and funding"), {"fields": ("start_date", "end_date", "budget", "currency", "funding_states")}),
        (
            _("Scope"),
            {"fields": ("thematic_areas", "regions", "beneficiary_countries", "tags", "assistance_on_request")},
        ),
        (_("Sharing"), {"fields": ("state", "audience", "shared_with")}),
        (_("Record"), {"fields": ("created", "updated"), "classes": ("collapse",)}),
    )
    inlines = (ProgramPartnerInline, DocumentInline)
    history_list_display = ("status", "title")

    # Deletions go through the services, which also remove the stored files.
    def delete_model(self, request, obj):
        program_delete(actor=request.user, program=obj)

    def delete_queryset(self, request, queryset):
        for program in queryset:
            program_delete(actor=request.user, program=program)

    def save_formset(self, request, form, formset, change):
        if formset.model is Document:
            formset.save(commit=False)
            for document in formset.deleted_objects:
                document_delete(actor=request.user, document=document)
            for document, _changed in formset.changed_objects:
                document.save(update_fields=["title"])
            return
        super().save_formset(request, form, formset, change)


@admin.register(ProgramGrant)
class ProgramGrantAdmin(GrantAdmin):
    pass


@admin.register(ProgramPartner)
class ProgramPartnerAdmin(admin.ModelAdmin):
    list_display = ("program", "organization", "role")
    list_filter = ("role",)
    search_fields = ("program__title", "organization__acronym", "organization__name")
    autocomplete_fields = ("program", "organization")
    list_select_related = ("program", "organization")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "filename", "content_type", "human_size", "uploaded_by", "uploaded_at")
    list_filter = ("content_type",)
    search_fields = ("title", "filename", "program__title", "program__organization__acronym")
    list_select_related = ("program", "uploaded_by")
    fields = ("program", "title", *DOCUMENT_READONLY_FIELDS)
    readonly_fields = ("program", *DOCUMENT_READONLY_FIELDS)
    date_hierarchy = "uploaded_at"

    def has_add_permission(self, request) -> bool:
        return False

    def delete_model(self, request, obj):
        document_delete(actor=request.user, document=obj)

    def delete_queryset(self, request, queryset):
        for document in queryset.select_related("program"):
            document_delete(actor=request.user, document=document)

    @admin.display(description=_("size"), ordering="size")
    def human_size(self, document: Document) -> str:
        return filesizeformat(document.size)
