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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confidentiality import policies
from confidentiality.forms import ACTION_DRAFT, ACTION_PREVIEW, ACTION_SAVE, ACTION_STATES, ACTION_SUBMIT
from confidentiality.models import State
from confidentiality.services import submission_submit, submission_withdraw
from confidentiality.views import (
    audience_preview,
    keep_audience_errors,
    may_create_submissions,
    sharing_details,
    submission_state_change,
)
from contacts import selectors, services
from contacts.filters import DemarcheFilterSet, DesignationFilterSet
from contacts.forms import ContactForm, DemarcheForm, EndDesignationForm
from contacts.models import ContactRole, PointOfContact

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
            "can_create": may_create_submissions(request.user),
        },
    )


# --- one point of contact -----------------------------------------------------------------------------------


@require_GET
def contact_detail_view(request, contact_id: int):
    contact = selectors.contact_get_for(actor=request.user, contact_id=contact_id)
    designation = selectors.designation_status(organizations=[contact.organization])[0]
    context = {
        "contact": contact,
        "designation": designation.for_role(contact.role),
        "why_visible": policies.why_visible(request.user, contact),
        "predecessors": selectors.contact_predecessors_for(actor=request.user, contact=contact),
        "can_edit": policies.can_edit(request.user, contact),
        "can_change_sharing": policies.can_change_sharing(request.user, contact),
        "can_delete": policies.can_delete(request.user, contact),
        **sharing_details(request.user, contact),
    }
    return render(request, "contacts/contact_detail.html", context)


# --- create and edit ----------------------------------------------------------------------------------------


def _save_contact(request, form: ContactForm, *, contact: PointOfContact | None, owner, action: str):
    """Call the service; its ValidationError comes back as form errors, PermissionDenied as 403."""
    fields = form.service_fields()
    if action in ACTION_STATES:
        fields["state"] = ACTION_STATES[action]
    try:
        if contact is None:
            organization = owner or form.cleaned_data["organization"]
            saved = services.contact_create(actor=request.user, organization=organization, **fields)
            messages.success(request, _("The point of contact “%(person)s” was recorded.") % {"person": saved.person})
        else:
            saved = services.contact_update(actor=request.user, contact=contact, **fields)
            messages.success(request, _("The point of contact “%(person)s” was saved.") % {"person": saved.person})
    except ValidationError as error:
        # The one-active-contact rule comes back keyed to `role`, so it shows next to that field.
        form.add_service_error(error)
        return None
    if saved.state == State.SUBMITTED and action == ACTION_SUBMIT:
        messages.info(request, _("It has been submitted to the Committee."))
    return saved


def _contact_form_page(request, *, contact: PointOfContact | None):
    user = request.user
    is_admin = policies.viewer_for(user).is_admin
    owner = contact.organization if contact is not None else (None if is_admin else policies.own_organization(user))
    choose_organization = contact is None and is_admin
    action = request.POST.get("action", ACTION_SAVE if contact is not None else ACTION_DRAFT)
    preview = None

    if request.method == "POST":
        form = ContactForm(request.POST, owner=owner, choose_organization=choose_organization)
        valid = form.is_valid()
        if action == ACTION_PREVIEW:
            preview = audience_preview(user, form, owner)
            keep_audience_errors(form)
        elif valid:
            saved = _save_contact(request, form, contact=contact, owner=owner, action=action)
            if saved is not None:
                return redirect("contacts:detail", contact_id=saved.pk)
    else:
        initial = ContactForm.initial_for(contact) if contact is not None else {"role": request.GET.get("role")}
        form = ContactForm(initial=initial, owner=owner, choose_organization=choose_organization)

    return render(
        request,
        "contacts/contact_form.html",
        {
            "form": form,
            "contact": contact,
            "owner": owner,
            "preview": preview,
            "previewed": action == ACTION_PREVIEW and request.method == "POST",
            "is_draft": contact is None or contact.state == State.DRAFT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_create_view(request):
    if not may_create_submissions(request.user):
        raise PermissionDenied(_("Only focal points and administrators designate points of contact."))
    return _contact_form_page(request, contact=None)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit_view(request, contact_id: int):
    contact = selectors.contact_get_for_edit(actor=request.user, contact_id=contact_id)
    return _contact_form_page(request, contact=contact)


# --- workflow -----------------------------------------------------------------------------------------------


def _change_state(request, contact_id: int, change, done_message: str):
    contact = selectors.contact_get_for(actor=request.user, contact_id=contact_id)
    return submission_state_change(
        request, contact, change, done_message, reverse("contacts:detail", args=[contact.pk])
    )


@login_required
@require_POST
def contact_submit_view(request, contact_id: int):
    return _change_state(request, contact_id, submission_submit, _("The point of contact was submitted."))


@login_required
@require_POST
def contact_withdraw_view(request, contact_id: int):
    return _change_state(request, contact_id, submission_withdraw, _("The point of contact was withdrawn to draft."))


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
                return redirect("contacts:detail", contact_id=contact.pk)
    else:
        form = EndDesignationForm(since=contact.since)
    return render(request, "contacts/contact_end.html", {"contact": contact, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete_view(request, contact_id: int):
    contact = selectors.contact_get_for(actor=request.user, contact_id=contact_id)
    if not policies.can_delete(request.user, contact):
        raise PermissionDenied
    if request.method == "POST":
        person = contact.person
        services.contact_delete(actor=request.user, contact=contact)
        messages.success(request, _("The point of contact “%(person)s” was deleted.") % {"person": person})
        return redirect("contacts:list")
    return render(request, "contacts/contact_confirm_delete.html", {"contact": contact})


# --- demarches ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def demarche_list_view(request):
    filterset = DemarcheFilterSet(request.GET or None, queryset=selectors.demarche_list_for(actor=request.user))
    page = Paginator(filterset.qs, DEMARCHES_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    demarches = list(page.object_list)
    for demarche in demarches:
        demarche.overdue = demarche.is_open and demarche.follow_up_due is not None and demarche.follow_up_due < today
    return render(
        request,
        "contacts/demarche_list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "demarches": demarches,
            "is_filtered": _is_filtered(request, ignore=("page",)),
            "can_record": policies.can_record_committee_work(request.user),
        },
    )


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
