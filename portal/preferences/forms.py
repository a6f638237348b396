"""Saving the current filter of a list under a name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.preferences.models import QUERY_MAX_LENGTH, SavedFilter


class SavedFilterForm(forms.Form):
    list = forms.CharField(widget=forms.HiddenInput, max_length=40)
    query = forms.CharField(widget=forms.HiddenInput, max_length=QUERY_MAX_LENGTH)
    name = forms.CharField(label=_("Name"), max_length=SavedFilter._meta.get_field("name").max_length)
    shared = forms.BooleanField(
        label=_("Share with my organization"),
        required=False,
        help_text=_("Members of your organization see it too; only you may delete it."),
    )

    def __init__(self, *args, can_share: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_share:
            del self.fields["shared"]
