from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("coordinators/", views.coordinator_list_view, name="coordinators"),
]
