"""Admin pieces every submission app shares, and the read-only sharing audit.

The admin never changes who may see a record: `state`, `audience` and `shared_with` move only through
`confidentiality.services`, which rewrites the grant index and the audit in the same transaction. Grant tables
and the audit are therefore shown, never edited.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from confidentiality.models import SharingAudit
from confidentiality.services import grants_write

AUDIENCE_FIELDS = ("state", "audience", "shared_with")


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Browse-only admin for rows that only a service (or a trigger-guarded append) may write."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SubmissionAdminMixin:
    """For the ModelAdmin of a `Submission`: the audience fields are shown, never written here.

    A record added here starts as a draft for the Committee only, indexed for its owner like any other. The
    owner is fixed once the record exists: moving a record to another organization would leave its grants
    pointing at the old owner's group.
    """

    audience_readonly_fields = AUDIENCE_FIELDS

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), *self.audience_readonly_fields]
        if obj is not None:
            readonly.append("organization")
        return tuple(dict.fromkeys(readonly))

    def save_model(self, request, obj, form, change):
        if change:
            # A form built from a historical version (simple_history's revert) carries default state and
            # audience for the excluded fields; the stored values always win.
            stored = type(obj)._default_manager.filter(pk=obj.pk).values("state", "audience", "organization_id").get()
            obj.state, obj.audience, obj.organization_id = (
                stored["state"],
                stored["audience"],
                stored["organization_id"],
            )
        super().save_model(request, obj, form, change)
        if not change:
            grants_write(obj)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Grants are read-only on their own page, yet go with their record: that cascade needs no permission.
        grant_name = str(self.model._meta.get_field("grants").related_model._meta.verbose_name)
        return deleted, model_count, {name for name in perms_needed if str(name) != grant_name}, protected


class HistoryReadOnlyMixin:
    """simple_history's history view without "revert": a revert would bypass the services."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_view(self, request, object_id, extra_context=None):
        # simple_history queries the id as given: "abc" would fail in the database (a 500) where the admin's own
        # pages answer that no such row exists.
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class GrantAdmin(ReadOnlyModelAdmin):
    """The grant index of one submission model: for support ("why can X see this?"), never for editing."""

    list_display = ("content_object", "group", "permission")
    list_filter = ("permission",)
    list_select_related = ("content_object__organization", "group", "permission__content_type")
    search_fields = ("group__name", "content_object__organization__acronym")
    raw_id_fields = ("content_object",)


@admin.register(SharingAudit)
class SharingAuditAdmin(ReadOnlyModelAdmin):
    list_display = (
        "at",
        "record_type",
        "record_id",
        "organization",
        "actor",
        "action",
        "state_change",
        "audience_change",
    )
    list_filter = ("action", "record_type", "new_audience", "new_state")
    list_select_related = ("organization", "actor")
    search_fields = ("organization__acronym", "actor__username", "record_type")
    date_hierarchy = "at"

    @admin.display(description=_("state"))
    def state_change(self, entry: SharingAudit) -> str:
        return f"{entry.get_old_state_display()} → {entry.get_new_state_display()}"

    @admin.display(description=_("audience"))
    def audience_change(self, entry: SharingAudit) -> str:
        old = entry.get_old_audience_display()
        new = entry.get_new_audience_display()
        if entry.new_shared_with:
            new = f"{new} ({', '.join(entry.new_shared_with)})"
        return f"{old} → {new}"
