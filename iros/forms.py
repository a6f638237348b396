"""Forms of the IGO tables pages. They only validate input and shape it for the services; no rule lives here."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from iros.fields import (
    COUNTRY_OPTIONS,
    OrganizationsChoiceField,
    RegionChoiceField,
    region_choices,
    thematic_area_choices,
    thematic_area_groups,
)
from iros.models import DatePrecision, Event, Interaction, Organization, ThematicArea
from portal.kernel.forms import (
    LONG_TEXT,
    DateInput,
    ModelRulesMixin,
    SearchableSelect,
    SearchableSelectMultiple,
    ServiceErrorsMixin,
)


class LinkedRecordField(forms.ModelChoiceField):
    """A linked event or agreement, offered from a queryset the view reads through the visibility policy."""

    def label_from_instance(self, obj) -> str:
        return str(obj)


def _organizations():
    return Organization.objects.order_by("acronym")


class InteractionForm(ModelRulesMixin, forms.Form):
    """A row of the IGO tables. The linked event and agreement choices come from the view (visible ones only)."""

    model = Interaction

    date = forms.DateField(label=_("Date"), widget=DateInput())
    date_precision = forms.ChoiceField(
        label=_("Precision of the date"),
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        help_text=_("When only the month or the year is known, give its first day and choose the precision."),
    )
    kind = forms.ChoiceField(label=_("Kind of interaction"), choices=Interaction.Kind.choices)
    organizations = OrganizationsChoiceField(
        label=_("Organizations involved"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    summary = forms.CharField(label=_("Summary"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.CharField(
        label=_("Outcome"), max_length=LONG_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up = forms.CharField(
        label=_("Follow-up"), max_length=LONG_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_due = forms.DateField(label=_("Follow-up due"), required=False, widget=DateInput())
    event = LinkedRecordField(queryset=None, required=False, label=_("Outreach event"), empty_label=_("None"))
    agreement = LinkedRecordField(queryset=None, required=False, label=_("Agreement"), empty_label=_("None"))
    public = forms.BooleanField(
        label=_("Public: visible to everyone, signed in or not"),
        required=False,
        help_text=_("Leave unticked to keep the interaction to the Committee and the organizations involved."),
    )

    def __init__(self, *args, events, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        self.fields["agreement"].queryset = agreements

    def service_kwargs(self) -> dict:
        """The cleaned data as `iros.services.interaction_create/update` keywords."""
        data = dict(self.cleaned_data)
        data["organizations"] = [organization.acronym for organization in data["organizations"]]
        data["event"] = data["event"].pk if data.get("event") else None
        data["agreement"] = data["agreement"].pk if data.get("agreement") else None
        return data

    @classmethod
    def initial_for(cls, interaction: Interaction) -> dict:
        return {
            "date": interaction.date,
            "date_precision": interaction.date_precision,
            "kind": interaction.kind,
            "organizations": list(interaction.organizations.all()),
            "summary": interaction.summary,
            "outcome": interaction.outcome,
            "follow_up": interaction.follow_up,
            "follow_up_due": interaction.follow_up_due,
            "event": interaction.event_id,
            "agreement": interaction.agreement_id,
            "public": interaction.public,
        }


class EventForm(ModelRulesMixin, forms.Form):
    model = Event

    title = forms.CharField(label=_("Title"), max_length=300)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    country = forms.ChoiceField(
        label=_("Country"), required=False, widget=SearchableSelect(options_url=COUNTRY_OPTIONS)
    )
    organizer = forms.CharField(label=_("Organizer"), max_length=200, required=False)
    theme = forms.CharField(label=_("Theme"), max_length=300, required=False)
    region = RegionChoiceField(
        required=False,
        label=_("Region"),
        empty_label=_("None"),
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        queryset=ThematicArea.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Thematic areas"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    participants = OrganizationsChoiceField(
        required=False,
        label=_("Participating organizations"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Only those known to have taken part."),
    )
    attendance_count = forms.IntegerField(
        label=_("Organizations attending"),
        min_value=0,
        max_value=100000,
        required=False,
        help_text=_(
            "Every organization that attended, named above or not, when known. Leave it empty to count those named."
        ),
    )
    description = forms.CharField(
        label=_("Description"), max_length=LONG_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("None")), *countries]

    def clean(self):
        cleaned = super().clean()
        # With the other errors, not after them: the service asks the same rule of what it saves.
        try:
            self.rules_instance().check_attendance(len(cleaned.get("participants") or ()))
        except ValidationError as error:
            self.add_service_error(error)
        return cleaned

    def thematic_groups(self) -> list[tuple[str, list]]:
        """The thematic-area checkboxes grouped by family, as the program form shows them."""
        return thematic_area_groups(self["thematic_areas"])

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["region"] = data["region"].code if data.get("region") else None
        data["thematic_areas"] = [area.code for area in data["thematic_areas"]]
        data["participants"] = [organization.acronym for organization in data["participants"]]
        return data


class OrganizationProfileForm(ServiceErrorsMixin, forms.Form):
    """What a focal point may change on its organization's profile; administrators also the name and kind."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Organization.Kind.choices)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    website = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")
    seat = forms.CharField(label=gettext_lazy("Seat"), max_length=200, required=False)
    regions = forms.MultipleChoiceField(
        label=gettext_lazy("Regions served"),
        required=False,
        widget=SearchableSelectMultiple(attrs={"size": 10}),
    )
    mandate_areas = forms.MultipleChoiceField(
        label=gettext_lazy("Mandate areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    member_states = forms.MultipleChoiceField(
        label=gettext_lazy("Member states"),
        required=False,
        widget=SearchableSelectMultiple(attrs={"size": 12}, options_url=COUNTRY_OPTIONS),
        help_text=gettext_lazy("Record member states from an official source only."),
    )

    def __init__(self, *args, is_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_admin:
            del self.fields["name"]
            del self.fields["kind"]
        self.fields["regions"].choices = region_choices()
        self.fields["mandate_areas"].choices = thematic_area_choices()
        self.fields["member_states"].choices = list(countries)

    @staticmethod
    def initial_for(organization: Organization) -> dict:
        return {
            "name": organization.name,
            "kind": organization.kind,
            "description": organization.description,
            "website": organization.website,
            "seat": organization.seat,
            "regions": [region.code for region in organization.regions.all()],
            "mandate_areas": [area.code for area in organization.mandate_areas.all()],
            "member_states": list(organization.member_states),
        }

    def mandate_groups(self) -> list[tuple[str, list]]:
        """The mandate-area checkboxes grouped by family, for the template."""
        return thematic_area_groups(self["mandate_areas"])
