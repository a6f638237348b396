"""Form fields that offer organizations, labelled "ACRONYM — Name". Beside the models, below every layer that
builds forms (confidentiality's audience form, the apps' forms): they read nothing but `iros.models`."""

from django import forms

from iros.models import Organization


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.acronym} — {obj.name}"


class OrganizationsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.acronym} — {obj.name}"
