from django.urls import path

from iros import views

app_name = "iros"

urlpatterns = [
    path("organizations/", views.organization_list_view, name="list"),
    path("organizations/<str:acronym>/", views.organization_detail_view, name="detail"),
    path("events/", views.event_list_view, name="events"),
    path("events/<int:event_id>/", views.event_detail_view, name="event_detail"),
]
