from django.urls import path
from django.views.generic import RedirectView

from iros import views
from iros.imports import EVENTS, INTERACTIONS
from portal.imports.views import import_urlpatterns

app_name = "iros"

urlpatterns = [
    path("organizations/", views.organization_list_view, name="list"),
    path("organizations/<str:acronym>/", views.organization_detail_view, name="detail"),
    path("organizations/<str:acronym>/edit/", views.organization_edit_view, name="edit"),
    path("events/", views.event_list_view, name="events"),
    path("events/<int:event_id>/", views.event_detail_view, name="event_detail"),
    path("options/<str:kind>/", views.options_view, name="options"),
]

# The IGO tables, mounted at igo-tables/ under the `igo` namespace (portal/urls.py).
igo_urlpatterns = [
    path("", views.igo_table_view, name="tables"),
    path("export.csv", views.igo_export_csv_view, name="export_csv"),
    path("export.xlsx", views.igo_export_xlsx_view, name="export_xlsx"),
    path("interactions/", views.interaction_list_view, name="interactions"),
    path(
        "interactions/export.csv",
        views.interaction_export_view,
        {"extension": "csv"},
        name="interactions_export_csv",
    ),
    path(
        "interactions/export.xlsx",
        views.interaction_export_view,
        {"extension": "xlsx"},
        name="interactions_export_xlsx",
    ),
    *import_urlpatterns(INTERACTIONS, prefix="interactions/import/"),
    path("interactions/new/", views.interaction_create_view, name="interaction_create"),
    path("interactions/<int:interaction_id>/", views.interaction_detail_view, name="interaction_detail"),
    path("interactions/<int:interaction_id>/edit/", views.interaction_edit_view, name="interaction_edit"),
    path("interactions/<int:interaction_id>/delete/", views.interaction_delete_view, name="interaction_delete"),
    path("events/new/", views.event_create_view, name="event_create"),
    *import_urlpatterns(EVENTS, prefix="events/import/"),
    # Demarches are recorded in one place, the demarche log; the old address keeps working.
    path(
        "demarches/new/",
        RedirectView.as_view(pattern_name="contacts:demarche_create", permanent=True, query_string=True),
        name="demarche_moved",
    ),
    path("<str:acronym>/", views.igo_organization_view, name="organization"),
]
