from django.urls import path

from confidentiality.views import SubmissionDeleteView, submission_urlpatterns
from portal.imports.views import import_urlpatterns
from programs import views
from programs.imports import PROGRAMS
from programs.kinds import PROGRAM

app_name = "programs"

urlpatterns = [
    path("", views.program_list_view, name="list"),
    path("export.csv", views.program_export_view, {"extension": "csv"}, name="export_csv"),
    path("export.xlsx", views.program_export_view, {"extension": "xlsx"}, name="export_xlsx"),
    *import_urlpatterns(PROGRAMS, prefix="import/"),
    *submission_urlpatterns(
        PROGRAM, detail=views.ProgramDetailView, form=views.ProgramFormView, delete=SubmissionDeleteView
    ),
    path("<int:program_id>/documents/new/", views.document_create_view, name="document_create"),
    path("documents/<int:document_id>/download/", views.document_download_view, name="document_download"),
    path("documents/<int:document_id>/delete/", views.document_delete_view, name="document_delete"),
]

# IATI files of the public programs, mounted at iati/ under the `iati` namespace (portal/urls.py).
iati_urlpatterns = [
    path("activities.xml", views.iati_activities_view, name="activities"),
    path("<str:acronym>.xml", views.iati_activities_view, name="organization"),
]
