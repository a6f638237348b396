from django.urls import path

from confidentiality.views import SubmissionDeleteView, submission_urlpatterns
from contacts import views
from contacts.imports import CONTACTS
from contacts.kinds import CONTACT
from portal.imports.views import import_urlpatterns

app_name = "contacts"

urlpatterns = [
    path("coordinators/", views.coordinator_list_view, name="coordinators"),
    path("contacts/", views.contact_list_view, name="list"),
    *import_urlpatterns(CONTACTS, prefix="contacts/import/"),
    *submission_urlpatterns(
        CONTACT,
        prefix="contacts/",
        detail=views.ContactDetailView,
        form=views.ContactFormView,
        delete=SubmissionDeleteView,
        withdraw=views.ContactWithdrawView,
    ),
    path("contacts/<int:contact_id>/end/", views.contact_end_view, name="end"),
    path("contacts/<int:pk>/replace/", views.ContactReplaceView.as_view(kind=CONTACT), name="replace"),
    path("contacts/demarches/", views.demarche_list_view, name="demarches"),
    path("contacts/demarches/new/", views.demarche_create_view, name="demarche_create"),
    path("contacts/demarches/<int:demarche_id>/edit/", views.demarche_edit_view, name="demarche_edit"),
    path("contacts/demarches/<int:demarche_id>/", views.demarche_answer_view, name="demarche_answer"),
]
