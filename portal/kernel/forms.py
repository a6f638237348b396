"""Form pieces every app's pages share. Forms only validate and shape input; no rule lives here."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


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
