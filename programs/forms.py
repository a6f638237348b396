"""Forms of the program pages. They only validate input and shape it for `programs.services`; no rule lives here."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from confidentiality.forms import SubmissionForm
from iros.fields import (
    COUNTRY_OPTIONS,
    OrganizationChoiceField,
    region_choices,
    thematic_area_choices,
    thematic_area_groups,
)
from portal.kernel.forms import DateInput, ModelRulesMixin, SearchableSelectMultiple, ServiceErrorsMixin
from programs.models import Program, ProgramPartner
from programs.services import DOCUMENT_TYPES, DocumentUpload, document_validate


def _country_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name in countries]


class ProgramForm(ModelRulesMixin, SubmissionForm):
    """A program's content and its audience. `organization` is asked only when an administrator creates one."""

    model = Program

    organization = OrganizationChoiceField(
        label=_("Organization"),
        help_text=_("The organization that owns the program and decides who may see it."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    status = forms.ChoiceField(label=_("Status"), choices=Program.Status.choices, initial=Program.Status.PLANNED)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    budget = forms.DecimalField(label=_("Budget"), required=False, min_value=0, max_digits=14, decimal_places=2)
    currency = forms.RegexField(
        label=_("Currency"),
        regex=r"^[A-Za-z]{3}$",
        required=False,
        max_length=3,
        help_text=_("ISO 4217 code, e.g. USD or EUR."),
        error_messages={"invalid": _("Give a three-letter ISO 4217 code.")},
    )
    assistance_on_request = forms.BooleanField(label=_("Assistance available on request"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    thematic_areas = forms.MultipleChoiceField(
        label=_("Thematic areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"), required=False, widget=SearchableSelectMultiple(attrs={"size": 8})
    )
    beneficiary_countries = forms.MultipleChoiceField(
        label=_("Beneficiary countries"),
        required=False,
        widget=SearchableSelectMultiple(attrs={"size": 8}, options_url=COUNTRY_OPTIONS),
    )
    funding_states = forms.MultipleChoiceField(
        label=_("Funding states"),
        required=False,
        widget=SearchableSelectMultiple(attrs={"size": 8}, options_url=COUNTRY_OPTIONS),
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=1000, help_text=_("Separate tags with commas."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thematic_areas"].choices = thematic_area_choices()
        self.fields["regions"].choices = region_choices()
        self.fields["beneficiary_countries"].choices = _country_choices()
        self.fields["funding_states"].choices = _country_choices()

    @classmethod
    def initial_for(cls, program: Program) -> dict:
        return {
            **super().initial_for(program),
            "thematic_areas": [area.code for area in program.thematic_areas.all()],
            "regions": [region.code for region in program.regions.all()],
            "beneficiary_countries": list(program.beneficiary_countries),
            "funding_states": list(program.funding_states),
            "tags": ", ".join(tag.name for tag in program.tags.all()),
        }

    def thematic_groups(self) -> list[tuple[str, list]]:
        """The thematic-area checkboxes grouped by family, for the template."""
        return thematic_area_groups(self["thematic_areas"])

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").upper()

    def clean_tags(self) -> list[str]:
        return [name.strip() for name in (self.cleaned_data.get("tags") or "").split(",") if name.strip()]


class PartnerForm(forms.Form):
    organization = OrganizationChoiceField(
        required=False,
        label=_("Partner organization"),
        empty_label=_("Choose an organization"),
    )
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", "—"), *ProgramPartner.Role.choices])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organization") and not cleaned.get("role"):
            self.add_error("role", _("Give the partner's role."))
        if cleaned.get("role") and not cleaned.get("organization"):
            self.add_error("organization", _("Choose the partner organization."))
        return cleaned


class BasePartnerFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            key = (form.cleaned_data.get("organization"), form.cleaned_data.get("role"))
            if key[0] is None:
                continue
            if key in seen:
                raise ValidationError(_("A partner is listed twice with the same role."))
            seen.add(key)

    def partners(self) -> list[dict]:
        return [
            {"organization": form.cleaned_data["organization"], "role": form.cleaned_data["role"]}
            for form in self.forms
            if form.cleaned_data.get("organization") and not (self.can_delete and self._should_delete_form(form))
        ]


PartnerFormSet = forms.formset_factory(
    PartnerForm, formset=BasePartnerFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
)


def partner_initial(program: Program) -> list[dict]:
    return [
        {"organization": partnership.organization, "role": partnership.role}
        for partnership in program.partnerships.all()
    ]


class DocumentForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False, help_text=_("Defaults to the file name."))
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, office documents, text or CSV."),
        # An empty file is refused by `document_validate`, whose message names the file (Django's does not).
        allow_empty_file=True,
        error_messages={"required": _("Choose a file, or clear this document's title.")},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(DOCUMENT_TYPES))}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; at most %(mb)s MB.") % {
            "types": ", ".join(sorted(DOCUMENT_TYPES)),
            "mb": settings.DOCUMENT_MAX_BYTES // 2**20,
        }

    def clean_file(self):
        # The service's own check, so a rejected file is named beside its input before anything is written.
        file = self.cleaned_data["file"]
        try:
            document_validate(filename=file.name.rsplit("/", 1)[-1], size=file.size)
        except ValidationError as error:
            raise ValidationError(error.message_dict["file"]) from error
        return file


class BaseDocumentFormSet(forms.BaseFormSet):
    """The program form's document rows: each a file and an optional title, attached when the program is saved."""

    def uploads(self) -> list[DocumentUpload]:
        return [
            DocumentUpload(file=form.cleaned_data["file"], title=form.cleaned_data.get("title") or "")
            for form in self.forms
            if form.cleaned_data.get("file")
        ]

    def file_errors(self) -> list[str]:
        """What is wrong with the chosen files, each message naming its file."""
        if not self.is_bound:
            return []
        return [error for form in self.forms for error in form.errors.get("file", [])]

    def posted_filenames(self) -> list[str]:
        """The names of the acceptable files this request carried: a page shown again (a preview, an error) cannot
        give them back to the browser, so it names them to be chosen again (a refused one is named by its error)."""
        return [
            file.name
            for form in self.forms
            if (file := self.files.get(form.add_prefix("file"))) and not form.errors.get("file")
        ]


DocumentFormSet = forms.formset_factory(
    DocumentForm, formset=BaseDocumentFormSet, extra=1, max_num=10, validate_max=True
)
