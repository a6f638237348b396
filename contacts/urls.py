from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("coordinators/", views.coordinator_list_view, name="coordinators"),
    path("contacts/", views.contact_list_view, name="list"),
    path("contacts/new/", views.contact_create_view, name="create"),
    path("contacts/<int:contact_id>/", views.contact_detail_view, name="detail"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit_view, name="edit"),
    path("contacts/<int:contact_id>/submit/", views.contact_submit_view, name="submit"),
    path("contacts/<int:contact_id>/withdraw/", views.contact_withdraw_view, name="withdraw"),
    path("contacts/<int:contact_id>/end/", views.contact_end_view, name="end"),
    path("contacts/<int:contact_id>/delete/", views.contact_delete_view, name="delete"),
    path("contacts/demarches/", views.demarche_list_view, name="demarches"),
    path("contacts/demarches/new/", views.demarche_create_view, name="demarche_create"),
    path("contacts/demarches/<int:demarche_id>/edit/", views.demarche_edit_view, name="demarche_edit"),
]
