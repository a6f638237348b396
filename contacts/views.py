"""Pages of the contacts app: regional coordinators, points of contact (resolution 1977) and demarches.

Views validate input, call one selector or service and render. Records are read through `contacts.selectors`
(the visibility policy): a hidden contact or demarche answers 404 like a missing one, a visible one the viewer
may not change answers 403. Whether a role is designated, and since when, is public; contact details are not.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from confidentiality import policies
from confidentiality.forms import ACTION_PREFILL, ACTION_PREVIEW, ACTION_STATES
from confidentiality.models import Audience, State
from confidentiality.views import SubmissionDetailView, SubmissionFormView, SubmissionWithdrawView
from contacts import selectors, services
from contacts.filters import CONTACT_LIST, DemarcheFilterSet, DesignationFilterSet
from contacts.forms import ContactForm, ContactReplaceForm, DemarcheAnswerForm, DemarcheForm, EndDesignationForm
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


def designation_messages(request, contact, *, was_standing: bool) -> list[str]:
    """What a change of a contact did to its organization's designation, said after the change."""
    names = {"role": contact.get_role_display(), "acronym": contact.organization.acronym}
    if was_standing and not contact.is_standing:
        return [_("%(acronym)s's role “%(role)s” now shows as Not designated.") % names]
    if contact.is_standing and not was_standing:
        sentences = [_("%(acronym)s's role “%(role)s” is now designated.") % names]
        answered = selectors.demarches_answered_by(actor=request.user, contact=contact)
        if answered:
            sentences.append(
                ngettext(
                    "It answers the Committee's demarche asking for it.",
                    "It answers the %(count)d demarches of the Committee asking for it.",
                    answered,
                )
                % {"count": answered}
            )
        return sentences
    return []


class ContactDesignationMessagesMixin:
    def designation_messages(self, contact, *, was_standing: bool) -> list[str]:
        return designation_messages(self.request, contact, was_standing=was_standing)


class ContactFormView(ContactDesignationMessagesMixin, SubmissionFormView):
    form_class = ContactForm

    def get_create_initial(self) -> dict:
        return {"role": self.request.GET.get("role")}

    def get_form_options(self, *, record, owner, action: str) -> dict:
        target_state = ACTION_STATES.get(action) or (record.state if record is not None else State.DRAFT)
        return {
            **super().get_form_options(record=record, owner=owner, action=action),
            "record": record,
            "target_state": None if action == ACTION_PREVIEW else target_state,
        }

    def get_form_context(self, form, *, record, owner) -> dict:
        """The way forward when the role is designated already: the standing contact, to replace it."""
        if not form.is_bound or not any(ContactForm.is_one_active_error(e) for e in form.errors.get("role", [])):
            return {}
        organization = owner or form.cleaned_data.get("organization")
        role = form.data.get("role")
        if organization is None or role not in ContactRole.values:
            return {}
        standing = selectors.standing_contact_for(
            actor=self.request.user, organization=organization, role=role, exclude=record
        )
        if standing is None or not policies.can_change_sharing(self.request.user, standing):
            return {}
        replace_url = reverse("contacts:replace", args=[standing.pk])
        if record is not None and record.state == State.DRAFT:
            replace_url += "?" + urlencode({"successor": record.pk})
        return {"standing": standing, "replace_url": replace_url}

    def saved_messages(self, saved, *, record, before: dict) -> list[str]:
        was_standing = record is not None and record.is_standing
        return self.designation_messages(saved, was_standing=was_standing)


class ContactWithdrawView(ContactDesignationMessagesMixin, SubmissionWithdrawView):
    def withdrawn_messages(self, record) -> list[str]:
        return self.designation_messages(record, was_standing=record.until is None)


class ContactReplaceView(ContactFormView):
    """Replace a standing contact in one step: its designation ends on a date and a successor is designated for
    the same role (`contacts.services.contact_replace`, one transaction). Reached from the contact's page and from
    the form's error "already has an active contact for this role", whose fields it takes over ("prefill")
    — with `?successor=<draft>` when that form was a draft's, which then becomes the successor."""

    form_class = ContactReplaceForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.replaced = selectors.contact_get_for(actor=request.user, contact_id=kwargs["pk"])
        if not policies.can_change_sharing(request.user, self.replaced):
            raise PermissionDenied
        if not self.replaced.is_standing:
            messages.error(request, _("Only a standing designation can be replaced; this one is not."))
            return redirect(self.replaced)
        return super().dispatch(request, *args, **kwargs)

    def current_record(self):
        successor = self.request.GET.get("successor", "")
        if not (successor.isascii() and successor.isdecimal() and len(successor) < 19):
            return None
        draft = selectors.contact_get_for_edit(actor=self.request.user, contact_id=int(successor))
        if draft.state != State.DRAFT or draft.organization_id != self.replaced.organization_id:
            raise Http404
        return draft

    def get_owner(self, record):
        return self.replaced.organization

    def get_form_options(self, *, record, owner, action: str) -> dict:
        return {"predecessor": self.replaced}

    def get_initial(self, record) -> dict:
        initial = ContactReplaceForm.initial_for_replacing(self.replaced, today=timezone.localdate())
        if record is not None:
            initial.update({name: getattr(record, name) for name in services.SUCCESSOR_FIELDS})
        return initial

    def prefill(self) -> dict | None:
        """The contact form's fields, carried over by its "Replace the current contact" button."""
        if self.request.method != "POST" or self.request.POST.get("action") != ACTION_PREFILL:
            return None
        data = self.request.POST
        initial = self.get_initial(None)
        initial.update({name: data.get(name, "") for name in services.SUCCESSOR_FIELDS if data.get(name)})
        if data.get("audience") in Audience.values:
            initial["audience"] = data["audience"]
            initial["shared_with"] = data.getlist("shared_with")
        return initial

    def get_form_context(self, form, *, record, owner) -> dict:
        return {}  # no offer to replace here: this is the replacement

    def base_context(self, record) -> dict:
        return {**super().base_context(record), "replaced": self.replaced}

    def get_cancel_url(self, record) -> str:
        return self.replaced.get_absolute_url()

    def get_template_names(self) -> str:
        return "contacts/contact_replace.html"

    def save(self, form, formsets: dict, *, record, owner, action: str):
        fields = self.service_fields(form, formsets)
        until = fields.pop("until")
        try:
            successor = services.contact_replace(
                actor=self.request.user, contact=self.replaced, until=until, successor=record, **fields
            )
        except ValidationError as error:
            form.add_service_error(error)
            return None
        names = {
            "successor": successor.person,
            "role": successor.get_role_display(),
            "acronym": successor.organization.acronym,
            "predecessor": self.replaced.person,
            "until": date_format(until, "DATE_FORMAT"),
        }
        sentences = [
            _("“%(successor)s” now holds %(acronym)s's role “%(role)s”.") % names,
            _("The designation of “%(predecessor)s” ended on %(until)s and stays in the designation history.") % names,
            *self.designation_messages(successor, was_standing=False)[1:],
        ]
        messages.success(self.request, " ".join(sentences))
        return successor


@login_required
@require_http_methods(["GET", "POST"])
def contact_end_view(request, contact_id: int):
    """End a designation: set `until`. The contact stays in the history; the role becomes undesignated."""
    contact = selectors.contact_get_for_edit(actor=request.user, contact_id=contact_id)
    if request.method == "POST":
        form = EndDesignationForm(request.POST, since=contact.since)
        if form.is_valid():
            try:
                ended = services.contact_update(actor=request.user, contact=contact, until=form.cleaned_data["until"])
            except ValidationError as error:
                form.add_service_error(error)
            else:
                sentences = [
                    _("The designation of “%(person)s” was ended.") % {"person": contact.person},
                    *designation_messages(request, ended, was_standing=contact.is_standing),
                ]
                messages.success(request, " ".join(sentences))
                return redirect(contact)
    else:
        form = EndDesignationForm(since=contact.since)
    return render(request, "contacts/contact_end.html", {"contact": contact, "form": form})


# --- demarches ----------------------------------------------------------------------------------------------


def _with_answers(request, demarches: list) -> list:
    """Each demarche marked with what the viewer may do and see of its answer (no query but one, for the contacts
    that answered them: a demarche names that contact only to whom may read it)."""
    today = timezone.localdate()
    visible_designations = selectors.demarche_designations_visible(actor=request.user, demarches=demarches)
    for demarche in demarches:
        demarche.overdue = demarche.is_overdue(today)
        demarche.may_answer = selectors.may_answer_demarche(actor=request.user, demarche=demarche)
        demarche.designation_visible = demarche.designation_id in visible_designations
    return demarches


@login_required
@require_GET
def demarche_list_view(request):
    demarches = selectors.demarche_list_for(actor=request.user)
    # The organization filter offers only the organizations whose demarches the viewer reads.
    filterset_class = partial(DemarcheFilterSet, organizations=selectors.demarche_organizations_for(actor=request.user))
    context = filtered_page(request, filterset_class, demarches, per_page=DEMARCHES_PER_PAGE)
    context["demarches"] = _with_answers(request, list(context["page_obj"].object_list))
    context["can_record"] = policies.can_record_committee_work(request.user)
    return render(request, "contacts/demarche_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def demarche_answer_view(request, demarche_id: int):
    """A demarche's page for everyone who may see it, where the organization it is addressed to answers it: by
    designating the point of contact it asks for (closing it), or with a reply. 404 when hidden; answering is for
    the organization's focal points (403 for the others)."""
    demarche = selectors.demarche_get_for(actor=request.user, demarche_id=demarche_id)
    may_answer = selectors.may_answer_demarche(actor=request.user, demarche=demarche)
    role = demarche.requested_role
    standing = None
    if may_answer and role:
        standing = selectors.standing_contact_for(actor=request.user, organization=demarche.organization, role=role)
    form = DemarcheAnswerForm()
    if request.method == "POST":
        if not demarche.is_open:
            messages.info(request, _("This demarche has been answered already."))
            return redirect("contacts:demarche_answer", demarche_id=demarche.pk)
        if not may_answer:
            raise PermissionDenied(_("Only a focal point of the organization answers its demarches."))
        answer = None
        if request.POST.get("action") == "designation":
            answer = {"designation": standing}
        else:
            form = DemarcheAnswerForm(request.POST)
            if form.is_valid():
                answer = {"reply": form.cleaned_data["reply"]}
        if answer is not None and (answer.get("designation") or answer.get("reply")):
            try:
                services.demarche_answer(actor=request.user, demarche=demarche, **answer)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Your answer was recorded; the Committee is notified."))
                return redirect("contacts:demarche_answer", demarche_id=demarche.pk)
        elif answer is not None:
            messages.error(request, _("No point of contact is designated for this role yet: designate one first."))
    demarche = _with_answers(request, [demarche])[0]
    return render(
        request,
        "contacts/demarche_answer.html",
        {
            "demarche": demarche,
            "form": form,
            "standing": standing,
            "designate_url": f"{reverse('contacts:create')}?{urlencode({'role': role})}" if may_answer and role else "",
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
    return _demarche_form_page(request, demarche=_with_answers(request, [demarche])[0])
