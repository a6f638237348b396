from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list_view, name="list"),
    path("new/", views.program_create_view, name="create"),
    path("export.csv", views.program_export_csv_view, name="export_csv"),
    path("export.xlsx", views.program_export_xlsx_view, name="export_xlsx"),
    path("<int:program_id>/", views.program_detail_view, name="detail"),
    path("<int:program_id>/edit/", views.program_edit_view, name="edit"),
    path("<int:program_id>/submit/", views.program_submit_view, name="submit"),
    path("<int:program_id>/withdraw/", views.program_withdraw_view, name="withdraw"),
    path("<int:program_id>/delete/", views.program_delete_view, name="delete"),
    path("<int:program_id>/documents/new/", views.document_create_view, name="document_create"),
    path("documents/<int:document_id>/download/", views.document_download_view, name="document_download"),
    path("documents/<int:document_id>/delete/", views.document_delete_view, name="document_delete"),
]
