from django.urls import path

from portal.preferences import views

app_name = "preferences"

urlpatterns = [
    path("filters/", views.saved_filter_create_view, name="filter_create"),
    path("filters/<int:filter_id>/delete/", views.saved_filter_delete_view, name="filter_delete"),
]
