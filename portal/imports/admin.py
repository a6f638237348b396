from django.contrib import admin

from portal.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The import history is kept with the audit: read-only, never deleted."""

    list_display = ("created_at", "kind", "created_by", "organization", "filename", "state", "rows_total", "inline")
    list_filter = ("kind", "state", "inline", "organization")
    list_select_related = ("created_by", "organization")
    search_fields = ("filename", "created_by__username", "organization__acronym")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
