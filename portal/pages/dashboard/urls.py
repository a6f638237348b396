from django.urls import path

from portal.pages.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home_view, name="home"),
]
