from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from confidentiality.admin import GrantAdmin, HistoryReadOnlyMixin, SubmissionAdminMixin
from contacts.models import Demarche, PointOfContact, PointOfContactGrant, RegionalCoordinator


@admin.register(PointOfContact)
class PointOfContactAdmin(SubmissionAdminMixin, HistoryReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("person", "organization", "role", "email", "since", "until", "state", "audience", "updated")
    list_filter = ("role", "state", "audience", "organization__kind")
    search_fields = ("person", "title", "email", "organization__acronym", "organization__name")
    autocomplete_fields = ("organization",)
    list_select_related = ("organization",)
    date_hierarchy = "since"
    fieldsets = (
        (None, {"fields": ("organization", "role", "person", "title", "email", "phone")}),
        (_("Designation"), {"fields": ("since", "until")}),
        (_("Sharing"), {"fields": ("state", "audience", "shared_with")}),
    )
    history_list_display = ("person", "email", "until")


@admin.register(PointOfContactGrant)
class PointOfContactGrantAdmin(GrantAdmin):
    pass


@admin.register(Demarche)
class DemarcheAdmin(admin.ModelAdmin):
    list_display = ("organization", "request", "channel", "sent_on", "sent_by", "follow_up_due", "answered_on")
    list_filter = ("request", "channel", ("answered_on", admin.EmptyFieldListFilter))
    search_fields = ("organization__acronym", "organization__name", "details", "outcome")
    autocomplete_fields = ("organization", "sent_by")
    list_select_related = ("organization", "sent_by")
    date_hierarchy = "sent_on"

    def save_model(self, request, obj, form, change):
        if not change and obj.sent_by_id is None:
            obj.sent_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RegionalCoordinator)
class RegionalCoordinatorAdmin(admin.ModelAdmin):
    list_display = ("area", "host", "person", "status", "since_display")
    list_filter = ("status", "regions")
    search_fields = ("area", "person", "title", "host__acronym", "host__name")
    autocomplete_fields = ("host", "regions")
    list_select_related = ("host",)

    @admin.display(description=_("since"), ordering="since")
    def since_display(self, coordinator: RegionalCoordinator) -> str:
        return coordinator.since_display
