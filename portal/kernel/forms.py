"""Form pieces every app's pages share. Forms only validate and shape input; no rule lives here."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# The longest free text a form takes (summaries, outcomes, descriptions): generous, but bounded.
LONG_TEXT = 20000


class DateInput(forms.DateInput):
    """A native date picker: the browser wants ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ServiceErrorsMixin:
    """For forms whose input goes to a service that may answer with a ValidationError."""

    def add_service_error(self, error: ValidationError) -> None:
        """A service's ValidationError as form errors: on the field it names, else on the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)


class ModelRulesMixin(ServiceErrorsMixin):
    """For forms whose input becomes a `model` record: the model's own field rules (`Model.clean()`) judge the
    input, so each rule is written once, on the model, and its error shows next to the field it names."""

    model: type[models.Model]

    def rules_instance(self) -> models.Model:
        """An unsaved record holding the valid input. A form that edits part of a record overrides this to add
        the record's current values that the rules compare with."""
        names = {field.name for field in self.model._meta.concrete_fields}
        return self.model(**{name: value for name, value in self.cleaned_data.items() if name in names})

    def clean(self):
        cleaned = super().clean()
        try:
            self.rules_instance().clean()
        except ValidationError as error:
            self.add_service_error(error)
        return cleaned
