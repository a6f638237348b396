"""The upload form of the generic import page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from confidentiality import policies
from iros.fields import OrganizationChoiceField


class ImportForm(forms.Form):
    """The spreadsheet to preview; administrators importing submissions also choose the organization of rows
    that name none."""

    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV (UTF-8) or XLSX with the template's header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    organization = OrganizationChoiceField(
        label=_("Organization"),
        required=False,
        help_text=_("The organization of the rows whose Organization cell is blank."),
    )

    def __init__(self, *args, user, chooses_organization: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not chooses_organization or policies.own_organization(user) is not None:
            del self.fields["organization"]
