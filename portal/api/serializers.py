"""Serializer pieces every app's API shares: serializers validate input with the model's own rules."""

from copy import copy, deepcopy

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from confidentiality.models import Audience, State
from portal.api.fields import OrganizationAcronymField, SharedWithField


class ModelRulesSerializerMixin:
    """For model serializers: the model's field rules (`Model.clean()`) judge the input laid over the record's
    current values, so the API answers a broken rule on the field it names, with the pages' message. Fields in
    `unchangeable_fields` keep the value the record was created with."""

    unchangeable_fields: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            changed = {
                name: _("This cannot change once the record exists.")
                for name in self.unchangeable_fields
                if name in attrs and attrs[name] != getattr(self.instance, name)
            }
            if changed:
                raise serializers.ValidationError(changed)
        model = self.Meta.model
        # A copy: the record itself stays as it is until the service changes it. Relations arrive as ids or
        # codes that the service resolves, so only the record's own values are laid over it.
        record = copy(self.instance) if self.instance is not None else model()
        names = {field.name for field in model._meta.concrete_fields if not field.is_relation}
        for name, value in attrs.items():
            if name in names:
                setattr(record, name, value)
        # DRF answers Django's ValidationError field-keyed, like its own.
        record.clean()
        return attrs


class BuiltOnceFieldsMixin:
    """A ModelSerializer works its fields out from the model for every serializer it makes (every request, some
    10 ms for a program): this one works them out once per class and copies them for each serializer, as DRF
    copies the declared ones. Only for serializers whose fields depend on nothing but their class."""

    _built_fields: dict[type, dict] = {}

    def get_fields(self):
        cls = type(self)
        built = BuiltOnceFieldsMixin._built_fields.get(cls)
        if built is None:
            built = BuiltOnceFieldsMixin._built_fields[cls] = super().get_fields()
        return deepcopy(built)

    @cached_property
    def _readable_fields(self):
        # DRF walks every field again for each record of a list (a generator per row: ~3 ms of a page of 50
        # programs); the fields are fixed once the serializer is built, so the readable ones are listed once.
        return [field for field in self.fields.values() if not field.write_only]


class SubmissionSerializer(BuiltOnceFieldsMixin, ModelRulesSerializerMixin, serializers.ModelSerializer):
    """What every submission kind's API shows and takes (CONTRACT.md): its owner, state, audience and
    `shared_with` (acronyms, `null` for whom the policy hides them). A kind lists its own fields with
    `submission_fields(...)`."""

    organization = OrganizationAcronymField(
        required=False, help_text="Owner's acronym. Defaults to the caller's organization; cannot change later."
    )
    state = serializers.ChoiceField(choices=State.choices, required=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    shared_with = SharedWithField()

    unchangeable_fields = ("organization",)


def submission_fields(*own: str) -> list[str]:
    return ["id", "organization", *own, "state", "audience", "shared_with", "created", "updated"]


SUBMISSION_READ_ONLY_FIELDS = ["id", "created", "updated"]
