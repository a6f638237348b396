from django.urls import path

from portal.pages.cooperation.views import cooperation_map_view

app_name = "cooperation"

urlpatterns = [
    path("", cooperation_map_view, name="map"),
]
