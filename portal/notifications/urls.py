from django.urls import path

from portal.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("read/", views.mark_all_read_view, name="read_all"),
    path("<int:notification_id>/read/", views.mark_read_view, name="read"),
    path("settings/", views.settings_view, name="settings"),
]
