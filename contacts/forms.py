"""Forms of the points-of-contact and demarche pages: they validate and shape input for `contacts.services`."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confidentiality.forms import SubmissionForm
from contacts.models import ContactRole, Demarche, PointOfContact
from iros.fields import OrganizationChoiceField
from portal.kernel.forms import LONG_TEXT, DateInput, ModelRulesMixin


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
