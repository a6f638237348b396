"""Forms of the points-of-contact and demarche pages: they validate and shape input for `contacts.services`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confidentiality.forms import SubmissionForm
from confidentiality.models import State
from contacts.models import ContactRole, Demarche, PointOfContact
from iros.fields import OrganizationChoiceField
from portal.kernel.forms import LONG_TEXT, DateInput, ModelRulesMixin, ServiceErrorsMixin


class ContactForm(ModelRulesMixin, SubmissionForm):
    """A point of contact and its audience. `organization` is asked only when an administrator creates one."""

    model = PointOfContact

    audience_label = _("Who may see the details once submitted")
    shared_with_rows = 8

    organization = OrganizationChoiceField(
        label=_("Organization"),
        help_text=_("The organization that designates the contact and decides who may see the details."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ContactRole.choices)
    person = forms.CharField(label=_("Person"), max_length=200)
    title = forms.CharField(label=_("Title or function"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=64, required=False)
    since = forms.DateField(label=_("Designated since"), required=False, widget=DateInput())
    until = forms.DateField(
        label=_("Designated until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty while the designation stands."),
    )

    def __init__(self, *args, record: PointOfContact | None = None, target_state: str | None = None, **kwargs):
        """`record` is the contact being edited (None when creating), `target_state` the state the save asks for
        (None: no save, e.g. a preview): submitting a standing contact is checked against the one already
        designated, so that problem shows with the others rather than after them."""
        super().__init__(*args, **kwargs)
        self.record = record
        self.target_state = target_state

    def clean(self):
        cleaned = super().clean()
        self._check_one_active(cleaned)
        return cleaned

    def _check_one_active(self, cleaned: dict) -> None:
        owner = self.owner or cleaned.get("organization")
        role = cleaned.get("role")
        if self.target_state != State.SUBMITTED or owner is None or not role or cleaned.get("until"):
            return
        if self.has_error("until"):
            return
        instance = PointOfContact(organization=owner, role=role, state=State.SUBMITTED, until=None)
        if self.record is not None:
            instance.pk = self.record.pk
            instance._state.adding = False  # the constraint leaves the record itself out
        try:
            PointOfContact.one_active_constraint().validate(PointOfContact, instance)
        except ValidationError as error:
            self.add_error("role", error)

    @staticmethod
    def is_one_active_error(message) -> bool:
        return str(message) == str(PointOfContact.one_active_constraint().get_violation_error_message())


class ContactReplaceForm(ContactForm):
    """Replacing a standing contact: when its designation ends (`until`), and who succeeds it, with the details'
    audience. The role and the organization are the predecessor's; the successor's designation stands."""

    until = forms.DateField(label=_("The current designation ends on"), widget=DateInput())
    since = forms.DateField(
        label=_("Designated since"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the day the current designation ends."),
    )

    def __init__(self, *args, predecessor: PointOfContact, **kwargs):
        kwargs.setdefault("choose_organization", False)
        super().__init__(*args, owner=predecessor.organization, **kwargs)
        self.predecessor = predecessor
        del self.fields["role"]

    def rules_instance(self) -> PointOfContact:
        # The end date is the predecessor's: it cannot come before its designation began.
        return PointOfContact(since=self.predecessor.since, until=self.cleaned_data.get("until"))

    @classmethod
    def initial_for_replacing(cls, predecessor: PointOfContact, *, today) -> dict:
        return {"until": today, **cls.audience_initial(predecessor)}


class EndDesignationForm(ModelRulesMixin, forms.Form):
    model = PointOfContact

    until = forms.DateField(label=_("Designation ended on"), widget=DateInput())

    def __init__(self, *args, since=None, **kwargs):
        kwargs.setdefault("initial", {"until": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.since = since

    def rules_instance(self) -> PointOfContact:
        return PointOfContact(since=self.since, until=self.cleaned_data.get("until"))


class DemarcheForm(ModelRulesMixin, forms.Form):
    """A demarche and, later, its answer. The organization is chosen once, when it is recorded."""

    model = Demarche

    organization = OrganizationChoiceField(
        label=_("Organization"),
        empty_label=_("Choose an organization"),
    )
    request = forms.ChoiceField(label=_("Request"), choices=Demarche.Request.choices)
    details = forms.CharField(
        label=_("Details"), max_length=LONG_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Demarche.Channel.choices)
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput())
    follow_up_due = forms.DateField(label=_("Follow-up due"), required=False, widget=DateInput())
    answered_on = forms.DateField(
        label=_("Answered on"), required=False, widget=DateInput(), help_text=_("Empty while no answer came.")
    )
    outcome = forms.CharField(
        label=_("Outcome"), max_length=LONG_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organization"]

    @classmethod
    def initial_for(cls, demarche: Demarche) -> dict:
        return {name: getattr(demarche, name) for name in cls.service_field_names()}

    @staticmethod
    def service_field_names() -> tuple[str, ...]:
        return ("request", "details", "channel", "sent_on", "follow_up_due", "answered_on", "outcome")

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.service_field_names()}


class DemarcheAnswerForm(ServiceErrorsMixin, forms.Form):
    """The organization's reply to a demarche (the other answer, designating a contact, is a button)."""

    reply = forms.CharField(
        label=_("Your reply"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent to the Committee with today's date; the demarche is then answered."),
    )
