from django.urls import path

from portal.security import views

app_name = "security"

urlpatterns = [
    path("log/", views.security_log_view, name="log"),
    path("log/export.csv", views.security_log_export_view, {"extension": "csv"}, name="log_export_csv"),
    path("log/export.xlsx", views.security_log_export_view, {"extension": "xlsx"}, name="log_export_xlsx"),
    path("lockouts/", views.lockout_list_view, name="lockouts"),
    path("lockouts/<int:attempt_id>/clear/", views.lockout_clear_view, name="lockout_clear"),
]
