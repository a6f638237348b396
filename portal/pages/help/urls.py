from django.urls import path

from portal.pages.help import views

app_name = "help"

urlpatterns = [
    path("", views.help_index_view, name="index"),
    path("glossary/", views.glossary_view, name="glossary"),
    path("<slug:persona>/", views.persona_view, name="persona"),
]
