"""The policy registry: every record kind of the portal has exactly one policy, and submissions the right one."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from confidentiality import policies
from confidentiality.models import GrantBase, Submission
from confidentiality.services import submission_models

PROJECT_APPS = {
    "accounts",
    "confidentiality",
    "iros",
    "contacts",
    "programs",
    "notifications",
    "security",
    "preferences",
    "imports",
}
# Rows that are never read on their own: the grant index (read by the submission policies) and the history
# simple-history keeps beside each record (shown only on the record's page, after its policy let it through).


def _record_kinds():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        if issubclass(model, GrantBase) or model.__name__.startswith("Historical"):
            continue
        yield model


@pytest.mark.parametrize("model", list(_record_kinds()), ids=lambda model: model._meta.label)
def test_every_record_kind_has_a_policy(model):
    assert policies.policy_for(model).model is model


@pytest.mark.parametrize(
    "model",
    [model for model in apps.get_models() if issubclass(model, GrantBase)],
    ids=lambda model: model._meta.label,
)
def test_every_model_with_a_grant_table_has_a_submission_policy(model):
    indexed = model._meta.get_field("content_object").related_model

    assert isinstance(policies.policy_for(indexed), policies.SubmissionPolicy)


def test_every_submission_model_has_a_grant_table():
    assert submission_models()
    for model in submission_models():
        assert policies.policy_for(model)
        assert any(issubclass(relation.related_model, GrantBase) for relation in model._meta.related_objects), (
            model._meta.label
        )


def test_a_submission_cannot_be_registered_with_a_weaker_policy():
    model = submission_models()[0]

    with pytest.raises(ImproperlyConfigured):
        policies.register(policies.ReferencePolicy(model))


def test_a_second_policy_of_another_kind_is_refused():
    model = apps.get_model("iros", "Region")

    with pytest.raises(ImproperlyConfigured):
        policies.register(policies.CommitteeRecordPolicy(model))


def test_submissions_are_read_from_the_registry_not_from_the_base_class():
    assert all(issubclass(model, Submission) for model in submission_models())
