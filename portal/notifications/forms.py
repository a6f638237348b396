"""The notification settings form: one choice per kind of notification that reaches the person's role."""

from __future__ import annotations

from django import forms

from portal.notifications.models import Delivery
from portal.notifications.selectors import KindPreference


class NotificationPreferencesForm(forms.Form):
    """A radio group per kind, named by the kind's code, set to the person's current choice."""

    def __init__(self, *args, preferences: list[KindPreference], **kwargs):
        super().__init__(*args, **kwargs)
        self.preferences = preferences
        for preference in preferences:
            self.fields[preference.kind] = forms.ChoiceField(
                label=preference.label,
                help_text=preference.help,
                choices=Delivery.choices,
                initial=preference.delivery,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def deliveries(self) -> dict[str, str]:
        return {preference.kind: self.cleaned_data[preference.kind] for preference in self.preferences}
