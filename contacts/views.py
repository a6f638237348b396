"""Pages of the contacts app: regional coordinators, points of contact (resolution 1977) and demarches.

Views validate input, call one selector or service and render. Records are read through `contacts.selectors`
(the visibility policy): a hidden contact or demarche answers 404 like a missing one, a visible one the viewer
may not change answers 403. Whether a role is designated, and since when, is public; contact details are not.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from confidentiality import policies
from confidentiality.models import State
from confidentiality.views import SubmissionDetailView, SubmissionFormView
from contacts import selectors, services
from contacts.filters import CONTACT_LIST, DemarcheFilterSet, DesignationFilterSet
from contacts.forms import ContactForm, DemarcheForm, EndDesignationForm
from contacts.models import ContactRole
from portal.kernel.lists import filtered_page
from portal.preferences.lists import saved_filters_panel

ORGANIZATIONS_PER_PAGE = 25
RECORDS_PER_PAGE = 25
DEMARCHES_PER_PAGE = 25


def coordinator_list_view(request):
    groups = selectors.coordinators_by_status(actor=request.user)
    return render(
        request,
        "contacts/coordinator_list.html",
        {"groups": groups, "total": sum(len(coordinators) for _, _, coordinators in groups)},
    )


# --- the points-of-contact page -----------------------------------------------------------------------------


def _is_filtered(request, ignore=("page", "records_page")) -> bool:
    return any(value for key, value in request.GET.items() if key not in ignore)


@login_required
@require_GET
def contact_list_view(request):
    """The designation table of every IRO (public facts) with the contact details the viewer may see."""
    filterset = DesignationFilterSet(
        request.GET or None, queryset=selectors.designation_organizations(actor=request.user)
    )
    page = Paginator(filterset.qs, ORGANIZATIONS_PER_PAGE).get_page(request.GET.get("page"))
    organizations = list(page.object_list)
    standing = selectors.standing_contacts_for(actor=request.user, organizations=organizations)
    chosen_role = filterset.form.cleaned_data.get("role") if filterset.is_bound and filterset.form.is_valid() else ""
    roles = [role for role in ContactRole if not chosen_role or role.value == chosen_role]
    rows = [
        {
            "designation": designation,
            "cells": [
                {
                    "status": designation.for_role(role.value),
                    "contact": standing.get((designation.organization.pk, role.value)),
                }
                for role in roles
            ],
        }
        for designation in selectors.designation_status(organizations=organizations)
    ]

    # Drafts and ended designations the viewer may see, for the organizations (and role) of the filter.
    records = selectors.contact_list_for(actor=request.user).exclude(state=State.SUBMITTED, until__isnull=True)
    if filterset.is_bound and filterset.form.is_valid():
        records = records.filter(organization__in=filterset.qs.values("pk"))
        if chosen_role:
            records = records.filter(role=chosen_role)
    records_page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("records_page"))

    return render(
        request,
        "contacts/contact_list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "rows": rows,
            "roles": roles,
            "records_page": records_page,
            "summary": selectors.designation_summary(),
            "is_filtered": _is_filtered(request),
            "can_create": policies.can_create_submission(request.user, None),
            **saved_filters_panel(request, CONTACT_LIST),
        },
    )


# --- one point of contact: the generic submission pages, configured --------------------------------------------


class ContactDetailView(SubmissionDetailView):
    def get_extra_context(self, record, *, can_edit: bool) -> dict:
        designation = selectors.designation_status(organizations=[record.organization])[0]
        return {
            "designation": designation.for_role(record.role),
            "predecessors": selectors.contact_predecessors_for(actor=self.request.user, contact=record),
        }


class ContactFormView(SubmissionFormView):
    form_class = ContactForm

    def get_create_initial(self) -> dict:
        return {"role": self.request.GET.get("role")}


@login_required
@require_http_methods(["GET", "POST"])
def contact_end_view(request, contact_id: int):
    """End a designation: set `until`. The contact stays in the history; the role becomes undesignated."""
    contact = selectors.contact_get_for_edit(actor=request.user, contact_id=contact_id)
    if request.method == "POST":
        form = EndDesignationForm(request.POST, since=contact.since)
        if form.is_valid():
            try:
                services.contact_update(actor=request.user, contact=contact, until=form.cleaned_data["until"])
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The designation of “%(person)s” was ended.") % {"person": contact.person})
                return redirect(contact)
    else:
        form = EndDesignationForm(since=contact.since)
    return render(request, "contacts/contact_end.html", {"contact": contact, "form": form})


# --- demarches ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def demarche_list_view(request):
    demarches = selectors.demarche_list_for(actor=request.user)
    context = filtered_page(request, DemarcheFilterSet, demarches, per_page=DEMARCHES_PER_PAGE)
    today = timezone.localdate()
    context["demarches"] = list(context["page_obj"].object_list)
    for demarche in context["demarches"]:
        demarche.overdue = demarche.is_overdue(today)
    context["can_record"] = policies.can_record_committee_work(request.user)
    return render(request, "contacts/demarche_list.html", context)


def _demarche_form_page(request, *, demarche=None):
    editing = demarche is not None
    if request.method == "POST":
        form = DemarcheForm(request.POST, editing=editing)
        if form.is_valid():
            try:
                if editing:
                    saved = services.demarche_update(actor=request.user, demarche=demarche, **form.service_fields())
                    messages.success(request, _("The demarche was saved."))
                else:
                    saved = services.demarche_create(
                        actor=request.user, organization=form.cleaned_data["organization"], **form.service_fields()
                    )
                    messages.success(
                        request, _("The demarche to %(acronym)s was recorded.") % {"acronym": saved.organization}
                    )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                return redirect(f"{reverse('contacts:demarches')}#demarche-{saved.pk}")
    else:
        if editing:
            initial = DemarcheForm.initial_for(demarche)
        else:
            initial = {"sent_on": timezone.localdate(), "organization": request.GET.get("organization")}
        form = DemarcheForm(initial=initial, editing=editing)
    return render(request, "contacts/demarche_form.html", {"form": form, "demarche": demarche})


@login_required
@require_http_methods(["GET", "POST"])
def demarche_create_view(request):
    if not policies.can_record_committee_work(request.user):
        raise PermissionDenied(_("Only Committee experts and administrators record demarches."))
    return _demarche_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def demarche_edit_view(request, demarche_id: int):
    demarche = selectors.demarche_get_for_edit(actor=request.user, demarche_id=demarche_id)
    return _demarche_form_page(request, demarche=demarche)
