"""Generic pages for every kind of submission (NetBox's generic views idea): detail, create and edit with the
audience preview, submit and withdraw, delete — configured per kind by a `SubmissionKind`.

A kind's app declares what differs (its model, selector, services, form, texts and templates); everything else
— reading through the visibility policy, 404 for hidden records and 403 for visible ones the viewer may not
change, the preview that saves nothing, service errors back on the form, messages — is written once here.
The templates are `templates/submissions/{detail,form,confirm_delete}.html`, which each kind's templates extend.

An audience change is shown before it happens: the preview lists who gains and who loses access compared with
what is saved; a save that takes the record away from anyone (`confirm_narrowing`), withdrawing and deleting ask
first on a page naming them; the message after a save says who now also sees it and who no longer does.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.forms import Form
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from confidentiality import policies
from confidentiality.forms import (
    ACTION_DRAFT,
    ACTION_PREVIEW,
    ACTION_SAVE,
    ACTION_STATES,
    ACTION_SUBMIT,
    AUDIENCE_FIELDS,
)
from confidentiality.kinds import SubmissionKind
from confidentiality.models import State, Submission
from confidentiality.selectors import (
    AudienceChange,
    audience_change_between,
    audience_change_for,
    audience_choice_change_for,
    audience_removal_for,
    submission_history_for,
)
from iros.models import Organization

HISTORY_LIMIT = 50
# A record's sharing fields: a save's message describes their change apart from the record's own fields.
AUDIENCE_STATE_FIELDS = ("state", "audience", "shared_with")


def submission_urlpatterns(kind: SubmissionKind, *, prefix: str = "", detail, form, delete, withdraw=None) -> list:
    """The routes every submission kind has, named in its namespace."""
    item = f"{prefix}<int:pk>/"
    withdraw = withdraw or SubmissionWithdrawView
    return [
        path(f"{prefix}new/", form.as_view(kind=kind), name="create"),
        path(item, detail.as_view(kind=kind), name="detail"),
        path(f"{item}edit/", form.as_view(kind=kind), name="edit"),
        path(f"{item}submit/", SubmissionStateView.as_view(kind=kind), name="submit"),
        path(f"{item}withdraw/", withdraw.as_view(kind=kind), name="withdraw"),
        path(f"{item}delete/", delete.as_view(kind=kind), name="delete"),
    ]


# --- what the pages show about sharing ----------------------------------------------------------------------


def reach_context(user, reach: policies.Reach) -> dict:
    """A Reach with the organizations it names, for `includes/_reach.html`."""
    named = policies.visible_to(user, Organization.objects.filter(pk__in=reach.organization_ids))
    organizations = {org.pk: org for org in named}
    return {
        "reach": reach,
        "owner": organizations.get(reach.owner_id),
        "selected": sorted(
            (org for pk, org in organizations.items() if pk != reach.owner_id), key=lambda org: org.acronym
        ),
    }


def sharing_details(user, record: Submission, kind: SubmissionKind) -> dict:
    """`shared_with`, the audit of audience changes and the field-level history — only for whom the policy allows.

    The context of `includes/_sharing_panel.html`.
    """
    if not policies.can_see_sharing_details(user, record):
        return {"can_see_sharing": False}
    return {
        "can_see_sharing": True,
        "shared_with": record.shared_with.order_by("acronym"),
        "reach": reach_context(user, policies.who_can_view(record)),
        "history": submission_history_for(actor=user, kind=kind, record=record),
    }


def audience_preview(user, form: Form, owner: Organization | None, record: Submission | None = None) -> dict | None:
    """Who will be able to see the record once submitted, worked out from the form's fields (nothing saved),
    and for a record that exists, who gains and who loses sight of it compared with what is saved (`change`):
    now, for a submitted record; once submitted, for a draft (nobody outside its organization sees it yet)."""
    owner = owner or form.cleaned_data.get("organization")
    audience = form.cleaned_data.get("audience")
    if owner is None or audience is None or form.has_error("shared_with"):
        return None
    shared_with_ids = [org.pk for org in form.cleaned_data.get("shared_with") or []]
    reach = policies.reach_of(
        organization_id=owner.pk, state=State.SUBMITTED, audience=audience, shared_with_ids=shared_with_ids
    )
    change = None
    if record is not None and record.state == State.SUBMITTED:
        change = audience_change_for(
            actor=user, record=record, state=record.state, audience=audience, shared_with_ids=shared_with_ids
        )
    elif record is not None:
        change = audience_choice_change_for(
            actor=user, record=record, audience=audience, shared_with_ids=shared_with_ids
        )
    return {**reach_context(user, reach), "change": change}


def record_snapshot(record: Submission, names) -> dict:
    """The values of `record`'s fields among `names` (related rows as sorted ids), and its state and audience:
    what `record_changes` compares after a save."""
    values = {}
    for name in [*names, "state", "audience", "shared_with"]:
        try:
            field = record._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a form part that is no field of the record (a program's partners)
        if field.many_to_many:
            values[name] = sorted(getattr(record, name).values_list("pk", flat=True))
        elif field.concrete:
            values[name] = getattr(record, field.attname)
    return values


def record_changes(record: Submission, before: dict) -> list[str]:
    """Sentences saying what a save changed, from a snapshot taken before it: the fields it changed, and the
    audience's change in full (the organizations it names), so nobody has to guess."""
    after = record_snapshot(record, before)
    model = record._meta.model
    changed = [name for name in before if before[name] != after[name]]
    sentences = []
    own = [str(model._meta.get_field(name).verbose_name) for name in changed if name not in AUDIENCE_STATE_FIELDS]
    if own:
        sentences.append(_("Changed: %(fields)s.") % {"fields": ", ".join(own)})
    if "audience" in changed or "shared_with" in changed:
        labels = dict(model._meta.get_field("audience").choices)
        named = Organization.objects.filter(pk__in=[*before["shared_with"], *after["shared_with"]])
        acronyms = dict(named.values_list("pk", "acronym"))

        def described(values: dict) -> str:
            label = str(labels.get(values["audience"], values["audience"]))
            if values["shared_with"]:
                return f"{label} ({', '.join(sorted(acronyms[pk] for pk in values['shared_with']))})"
            return label

        sentences.append(_("Audience: %(old)s → %(new)s.") % {"old": described(before), "new": described(after)})
    return sentences


def _keep_audience_errors(form: Form) -> None:
    # A preview saves nothing, so only the audience fields' problems are worth showing.
    for name in list(form.errors):
        if name not in AUDIENCE_FIELDS:
            del form.errors[name]


# --- the views ----------------------------------------------------------------------------------------------


class SubmissionView(View):
    """Base of every submission page: `kind` is given to `as_view(kind=...)`."""

    kind: SubmissionKind = None

    def get_record(self) -> Submission:
        """The record in the URL, read through the kind's selector: Http404 when missing or hidden."""
        return self.kind.get(actor=self.request.user, **{f"{self.kind.record_name}_id": self.kwargs["pk"]})

    def get_record_for_change(self) -> Submission:
        """404 when hidden, 403 when visible but not editable by the viewer."""
        record = self.get_record()
        if not policies.can_edit(self.request.user, record):
            raise PermissionDenied
        return record

    def base_context(self, record) -> dict:
        return {
            "kind": self.kind,
            "record": record,
            self.kind.record_name: record,
            "record_label": self.kind.name_of(record) if record is not None else "",
            "list_url": self.kind.url("list"),
        }


class SubmissionDetailView(SubmissionView):
    """A submission's page with "why you can see this", the sharing panel and the actions the viewer may take."""

    http_method_names = ["get", "head", "options"]

    def get_extra_context(self, record, *, can_edit: bool) -> dict:
        return {}

    def get(self, request, **kwargs):
        record = self.get_record()
        user = request.user
        can_edit = policies.can_edit(user, record)
        context = {
            **self.base_context(record),
            "why_visible": policies.why_visible(user, record),
            "can_edit": can_edit,
            "can_change_sharing": policies.can_change_sharing(user, record),
            "can_delete": policies.can_delete(user, record),
            **sharing_details(user, record, self.kind),
            **self.get_extra_context(record, can_edit=can_edit),
        }
        return render(request, self.kind.template("detail"), context)


class SubmissionFormView(LoginRequiredMixin, SubmissionView):
    """Create (no `pk` in the URL) and edit: one page, three outcomes — preview the audience (nothing saved),
    save as a draft, save and submit. The service's ValidationError comes back on the form."""

    http_method_names = ["get", "post", "head", "options"]
    form_class: type[Form] = None

    # Hooks for kinds whose form has more than one part (a program's partners).
    def get_formsets(self, data, record) -> dict[str, object]:
        return {}

    def get_create_initial(self) -> dict:
        return {}

    def service_fields(self, form, formsets: dict) -> dict:
        return form.service_fields()

    def get_form_options(self, *, record, owner, action: str) -> dict:
        """The form's keyword arguments besides the data and the initial values."""
        is_admin = policies.viewer_for(self.request.user).is_admin
        return {"owner": owner, "choose_organization": record is None and is_admin}

    def get_form_context(self, form, *, record, owner) -> dict:
        """What the kind's form template shows beyond the form (a way forward from an error)."""
        return {}

    def saved_messages(self, saved, *, record, before: dict) -> list[str]:
        """More sentences for the message after a save (what the save changed beyond the record itself)."""
        return []

    def get_owner(self, record):
        """The organization that owns what the form saves (None: an administrator chooses it in the form)."""
        if record is not None:
            return record.organization
        return None if policies.viewer_for(self.request.user).is_admin else policies.own_organization(self.request.user)

    def get_initial(self, record) -> dict:
        return self.form_class.initial_for(record) if record is not None else self.get_create_initial()

    def prefill(self) -> dict | None:
        """Initial values posted from another page (`action=prefill`), shown unbound: none by default."""
        return None

    def get_cancel_url(self, record) -> str:
        return self.kind.url("detail", record) if record is not None else self.kind.url("list")

    def get_template_names(self) -> str:
        return self.kind.template("form")

    def dispatch(self, request, *args, **kwargs):
        creating = "pk" not in kwargs
        if creating and request.user.is_authenticated and not policies.can_create_submission(request.user, None):
            raise PermissionDenied(self.kind.texts.create_refused)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        return self.page(self.current_record())

    def post(self, request, **kwargs):
        return self.page(self.current_record())

    def current_record(self):
        return self.get_record_for_change() if "pk" in self.kwargs else None

    def page(self, record):
        request, kind = self.request, self.kind
        user = request.user
        owner = self.get_owner(record)
        action = request.POST.get("action", ACTION_SAVE if record is not None else ACTION_DRAFT)
        form_options = self.get_form_options(record=record, owner=owner, action=action)
        previewed = request.method == "POST" and action == ACTION_PREVIEW
        preview = None
        prefill = self.prefill()
        if prefill is not None:
            form = self.form_class(initial=prefill, **form_options)
            formsets = self.get_formsets(None, record)
        elif request.method == "POST":
            form = self.form_class(request.POST, **form_options)
            formsets = self.get_formsets(request.POST, record)
            valid = [form.is_valid(), *(formset.is_valid() for formset in formsets.values())]
            if previewed:
                preview = audience_preview(user, form, owner, record)
                _keep_audience_errors(form)
            elif all(valid):
                narrowing = self.unconfirmed_narrowing(form, record=record, action=action)
                if narrowing is not None:
                    return self.confirm_narrowing(record, narrowing, action=action)
                saved = self.save(form, formsets, record=record, owner=owner, action=action)
                if saved is not None:
                    return redirect(kind.url("detail", saved))
        else:
            form = self.form_class(initial=self.get_initial(record), **form_options)
            formsets = self.get_formsets(None, record)
        context = {
            **self.base_context(record),
            **formsets,
            "form": form,
            "formset_errors": [
                error for formset in formsets.values() if formset.is_bound for error in formset.non_form_errors()
            ],
            "owner": owner,
            "preview": preview,
            "previewed": previewed,
            "is_draft": record is None or record.state == State.DRAFT,
            "cancel_url": self.get_cancel_url(record),
            "withdraw_url": kind.url("withdraw", record) if record is not None else "",
            **self.get_form_context(form, record=record, owner=owner),
        }
        return render(request, self.get_template_names(), context)

    def unconfirmed_narrowing(self, form, *, record, action: str) -> AudienceChange | None:
        """What saving would take away from people who see the record now, unless the person confirmed exactly
        that already (`confirmed_losses`, posted by the confirmation page). None when nobody loses anything."""
        if record is None or "audience" not in form.cleaned_data:
            return None
        change = audience_change_for(
            actor=self.request.user,
            record=record,
            state=ACTION_STATES.get(action, record.state),
            audience=form.cleaned_data["audience"],
            shared_with_ids=[org.pk for org in form.cleaned_data.get("shared_with") or []],
        )
        if change is None or not change.narrows or self.request.POST.get("confirmed_losses") == change.losses_key:
            return None
        return change

    def confirm_narrowing(self, record, change: AudienceChange, *, action: str):
        """The page that names who would lose sight of the record and posts the same fields again once
        confirmed; nothing is written before that."""
        carried = [
            (name, value)
            for name, values in self.request.POST.lists()
            if name not in ("csrfmiddlewaretoken", "action", "confirmed_losses")
            for value in values
        ]
        context = {
            **self.base_context(record),
            "change": change,
            "carried": carried,
            "action": action,
            "lead": self.kind.texts.narrow_lead % {"name": self.kind.name_of(record)},
            "cancel_url": self.get_cancel_url(record),
            # A browser cannot be made to send chosen files again: say so rather than lose them unnoticed.
            "files_not_carried": [upload.name for upload in self.request.FILES.values()],
        }
        return render(self.request, "submissions/confirm_narrowing.html", context)

    def save(self, form, formsets: dict, *, record, owner, action: str):
        kind, request = self.kind, self.request
        fields = self.service_fields(form, formsets)
        if action in ACTION_STATES:
            fields["state"] = ACTION_STATES[action]
        before = record_snapshot(record, fields) if record is not None else {}
        reach_before = policies.who_can_view(record) if record is not None else None
        try:
            if record is None:
                organization = owner or form.cleaned_data["organization"]
                saved = kind.create(actor=request.user, organization=organization, **fields)
                sentences = [kind.texts.created % {"name": kind.name_of(saved)}]
            else:
                saved = kind.update(actor=request.user, **{kind.record_name: record}, **fields)
                changes = record_changes(saved, before)
                # "Nothing changed" only when every part saved could be compared (a program's partners cannot).
                compared = all(name in before for name in fields)
                unchanged = compared and not changes and saved.state == record.state
                text = kind.texts.saved_unchanged if unchanged else kind.texts.saved
                sentences = [text % {"name": kind.name_of(saved)}, *changes]
                reach_change = audience_change_between(
                    actor=request.user, before=reach_before, after=policies.who_can_view(saved)
                )
                if reach_change:
                    sentences.append(reach_change.summary())
        except ValidationError as error:
            form.add_service_error(error)
            return None
        messages.success(request, " ".join([*sentences, *self.saved_messages(saved, record=record, before=before)]))
        if saved.state == State.SUBMITTED and action == ACTION_SUBMIT:
            messages.info(request, _("It has been submitted to the Committee."))
        return saved


class SubmissionStateView(LoginRequiredMixin, SubmissionView):
    """Submit a draft (POST). A viewer who may not change the sharing gets 403; a rule the change would break
    (one active point of contact per role) comes back as error messages and nothing changes."""

    http_method_names = ["post"]

    def get_resharable(self) -> Submission:
        record = self.get_record()
        if not policies.can_change_sharing(self.request.user, record):
            raise PermissionDenied
        return record

    def post(self, request, **kwargs):
        record = self.get_resharable()
        try:
            self.kind.submit(actor=request.user, record=record)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.kind.texts.submitted)
        return redirect(self.kind.url("detail", record))


class SubmissionWithdrawView(SubmissionStateView):
    """Withdraw a submitted record to draft: a page that names who will lose access (GET), then the change (POST)
    and a message saying what it did. Withdrawing takes the record from the Committee too, so it is never one
    click away; a kind adds what else follows (`<app>/_withdraw_consequences.html`, `withdrawn_messages`)."""

    http_method_names = ["get", "post", "head", "options"]
    template_name = "submissions/confirm_withdraw.html"

    def withdrawn_messages(self, record: Submission) -> list[str]:
        return []

    def get(self, request, **kwargs):
        record = self.get_resharable()
        if record.state == State.DRAFT:
            messages.info(request, _("It is a draft already."))
            return redirect(self.kind.url("detail", record))
        app = self.kind.model._meta.app_label
        consequences = select_template([f"{app}/_withdraw_consequences.html", "submissions/_no_consequences.html"])
        context = {
            **self.base_context(record),
            "losing": audience_removal_for(actor=request.user, record=record),
            "consequences_template": consequences.template.name,
            "lead": self.kind.texts.withdraw_lead % {"name": self.kind.name_of(record)},
        }
        return render(request, self.template_name, context)

    def post(self, request, **kwargs):
        record = self.get_resharable()
        if record.state == State.DRAFT:
            messages.info(request, _("It is a draft already."))
            return redirect(self.kind.url("detail", record))
        try:
            withdrawn = self.kind.withdraw(actor=request.user, record=record)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            text = self.kind.texts.withdrawn % {"name": self.kind.name_of(withdrawn)}
            messages.success(request, " ".join([text, *self.withdrawn_messages(withdrawn)]))
        return redirect(self.kind.url("detail", record))


class SubmissionDeleteView(LoginRequiredMixin, SubmissionView):
    """A confirmation page, then the kind's delete service; back to the list."""

    http_method_names = ["get", "post", "head", "options"]
    template_name = "submissions/confirm_delete.html"

    def get_deletable(self):
        record = self.get_record()
        if not policies.can_delete(self.request.user, record):
            raise PermissionDenied
        return record

    def get(self, request, **kwargs):
        record = self.get_deletable()
        context = {
            **self.base_context(record),
            "losing": audience_removal_for(actor=request.user, record=record),
            "delete_lead": self.kind.texts.delete_lead % {"name": self.kind.name_of(record)},
            "consequences_template": f"{self.kind.model._meta.app_label}/_delete_consequences.html",
        }
        return render(request, self.template_name, context)

    def post(self, request, **kwargs):
        record = self.get_deletable()
        name = self.kind.name_of(record)
        self.kind.delete(actor=request.user, **{self.kind.record_name: record})
        messages.success(request, self.kind.texts.deleted % {"name": name})
        return redirect(self.kind.url("list"))
