from django.urls import path

from portal.pages.search import views

app_name = "search"

urlpatterns = [
    path("", views.search_view, name="results"),
]
