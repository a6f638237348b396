"""The audience part of every submission form (programs, points of contact). It validates and shapes input only:
who may see what is decided by `confidentiality.policies` and written by `confidentiality.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from confidentiality.models import Audience, State
from iros.fields import OrganizationsChoiceField
from iros.models import Organization
from portal.kernel.forms import ServiceErrorsMixin

# What each submit button of a submission form asks for.
ACTION_PREVIEW = "preview"
ACTION_DRAFT = "draft"
ACTION_SUBMIT = "submit"
ACTION_SAVE = "save"  # keep the current state (editing a submitted record)
ACTION_PREFILL = "prefill"  # another page's fields, posted to start this form with (nothing is saved)
# The state a save button puts the record in; the others leave it as it is.
ACTION_STATES = {ACTION_DRAFT: State.DRAFT, ACTION_SUBMIT: State.SUBMITTED}

# Fields a preview is about: only their errors are shown when nothing is being saved.
AUDIENCE_FIELDS = ("organization", "audience", "shared_with")


class SubmissionForm(ServiceErrorsMixin, forms.Form):
    """A submission's `audience` and the organizations it is `shared_with` (by acronym, never the owner).

    A subclass declares the record's own fields and an `organization` field, asked only when an administrator
    creates a record (`choose_organization`). `owner` is the organization that owns the record, when known.
    """

    audience_label = _("Who may see it once submitted")
    shared_with_rows = 10

    audience = forms.ChoiceField(choices=Audience.choices, initial=Audience.COMMITTEE, widget=forms.RadioSelect)
    shared_with = OrganizationsChoiceField(
        required=False,
        label=_("Selected organizations"),
        help_text=_("Only for “The Committee and selected IROs”."),
    )

    def __init__(self, *args, owner: Organization | None = None, choose_organization: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        if not choose_organization:
            del self.fields["organization"]
        # The record's own fields first, its audience last.
        self.order_fields([name for name in self.fields if name not in ("audience", "shared_with")])
        self.fields["audience"].label = self.audience_label
        self.fields["shared_with"].widget.attrs["size"] = self.shared_with_rows
        if owner is not None:
            self.fields["shared_with"].queryset = Organization.objects.exclude(pk=owner.pk).order_by("acronym")

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if audience is not None:
            if audience != Audience.SELECTED:
                # Without JavaScript the list stays filled when another audience is picked: it no longer applies.
                cleaned["shared_with"] = []
            elif "shared_with" in cleaned and not cleaned["shared_with"]:
                self.add_error("shared_with", _("Choose at least one organization to share with."))
        owner = self.owner or cleaned.get("organization")
        if owner is not None and any(org.pk == owner.pk for org in cleaned.get("shared_with") or []):
            self.add_error("shared_with", _("The owner organization always sees its records; do not select it."))
        return cleaned

    def record_field_names(self) -> list[str]:
        """The record's own fields: every field but the owner and the audience."""
        return [name for name in self.fields if name not in AUDIENCE_FIELDS]

    @classmethod
    def initial_for(cls, record) -> dict:
        """The initial data of the form that edits `record`: its own fields as they are, then its audience.
        A kind whose fields need shaping (codes of related rows) extends it."""
        names = [name for name in cls.base_fields if name not in AUDIENCE_FIELDS]
        return {**{name: getattr(record, name) for name in names}, **cls.audience_initial(record)}

    def service_fields(self) -> dict:
        """The cleaned data as the kind's create / update service keyword arguments (without state)."""
        own = {name: self.cleaned_data[name] for name in self.record_field_names()}
        return {**own, **self.audience_service_fields()}

    @staticmethod
    def audience_initial(record) -> dict:
        """The initial `audience` and `shared_with` of the form that edits `record`."""
        return {"audience": record.audience, "shared_with": list(record.shared_with.order_by("acronym"))}

    def audience_service_fields(self) -> dict:
        """The cleaned `audience` and `shared_with` as service keyword arguments."""
        return {"audience": self.cleaned_data["audience"], "shared_with": list(self.cleaned_data["shared_with"])}
