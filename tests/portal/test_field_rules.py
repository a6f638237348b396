"""Field rules are written once, in `Model.clean()`; the forms (`ModelRulesMixin`) and the API serializers
(`ModelRulesSerializerMixin`) answer with the same message on the same field, and the database keeps the guard."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contacts.api import ContactSerializer, DemarcheSerializer
from contacts.forms import ContactForm, DemarcheForm, EndDesignationForm
from contacts.models import ANSWER_BEFORE_SENDING, FOLLOW_UP_BEFORE_SENDING, Demarche, PointOfContact
from iros.api import EventSerializer, InteractionSerializer
from iros.forms import EventForm, InteractionForm
from iros.models import END_BEFORE_START, Agreement, Event, Interaction
from programs.api import ProgramSerializer
from programs.forms import ProgramForm
from programs.models import BUDGET_WITHOUT_CURRENCY, Program
from tests.factories import (
    DemarcheFactory,
    InteractionFactory,
    OrganizationFactory,
    ProgramFactory,
    RegionalCoordinatorFactory,
)

pytestmark = pytest.mark.django_db

FOLLOW_UP_BEFORE_INTERACTION = "The follow-up cannot be due before the interaction."


def _model_errors(record) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        record.clean()
    return raised.value.message_dict


def test_every_model_reports_its_date_rule_on_the_later_field():
    late, early = date(2020, 5, 1), date(2020, 1, 1)
    coordinator = RegionalCoordinatorFactory.build(since=late, until=early)

    assert _model_errors(Program(start_date=late, end_date=early)) == {"end_date": [str(END_BEFORE_START)]}
    assert _model_errors(Event(start_date=late, end_date=early)) == {"end_date": [str(END_BEFORE_START)]}
    assert _model_errors(PointOfContact(since=late, until=early)) == {"until": [str(END_BEFORE_START)]}
    assert _model_errors(coordinator) == {"until": [str(END_BEFORE_START)]}
    assert _model_errors(Interaction(date=late, follow_up_due=early)) == {
        "follow_up_due": [FOLLOW_UP_BEFORE_INTERACTION]
    }
    assert _model_errors(Demarche(sent_on=late, follow_up_due=early, answered_on=early)) == {
        "follow_up_due": [str(FOLLOW_UP_BEFORE_SENDING)],
        "answered_on": [str(ANSWER_BEFORE_SENDING)],
    }
    assert _model_errors(Program(budget=10)) == {"currency": [str(BUDGET_WITHOUT_CURRENCY)]}
    # Empty dates and dates in order break no rule.
    Program(start_date=early, end_date=early).clean()
    Demarche(sent_on=early).clean()


def _form_errors(form) -> dict:
    form.is_valid()
    return form.errors


def _serializer_errors(serializer) -> dict:
    serializer.is_valid()
    return {name: [str(message) for message in messages] for name, messages in serializer.errors.items()}


@pytest.mark.parametrize(
    ("form", "serializer", "data", "expected"),
    [
        (
            lambda data: ProgramForm(data, owner=OrganizationFactory()),
            ProgramSerializer,
            {"title": "T", "status": "planned", "audience": "committee", "start_date": "2020-05-01",
             "end_date": "2020-01-01", "budget": "100"},
            {"end_date": [END_BEFORE_START], "currency": [BUDGET_WITHOUT_CURRENCY]},
        ),
        (
            lambda data: ContactForm(data, owner=OrganizationFactory()),
            ContactSerializer,
            {"role": "assistance", "person": "P", "audience": "committee", "since": "2020-05-01",
             "until": "2020-01-01"},
            {"until": [END_BEFORE_START]},
        ),
        (
            DemarcheForm,
            DemarcheSerializer,
            {"organization": "OWN", "request": "information", "channel": "letter", "sent_on": "2020-05-01",
             "follow_up_due": "2020-01-01", "answered_on": "2020-01-01"},
            {"follow_up_due": [FOLLOW_UP_BEFORE_SENDING], "answered_on": [ANSWER_BEFORE_SENDING]},
        ),
        (
            EventForm,
            EventSerializer,
            {"title": "T", "start_date": "2020-05-01", "end_date": "2020-01-01"},
            {"end_date": [END_BEFORE_START]},
        ),
        (
            lambda data: InteractionForm(data, events=Event.objects.none(), agreements=Agreement.objects.none()),
            InteractionSerializer,
            {"date": "2020-05-01", "date_precision": "day", "kind": "meeting", "organizations": ["OWN"],
             "summary": "S", "follow_up_due": "2020-01-01"},
            {"follow_up_due": [FOLLOW_UP_BEFORE_INTERACTION]},
        ),
    ],
    ids=["program", "contact", "demarche", "event", "interaction"],
)  # fmt: skip
def test_a_form_and_the_api_answer_the_model_s_message_on_the_same_field(form, serializer, data, expected):
    OrganizationFactory(acronym="OWN")
    expected = {name: [str(message) for message in messages] for name, messages in expected.items()}

    form_errors = _form_errors(form(data))
    api_errors = _serializer_errors(serializer(data=data))

    assert {name: form_errors[name] for name in expected} == expected
    assert {name: api_errors[name] for name in expected} == expected
    assert not set(form_errors) - set(expected)
    assert not set(api_errors) - set(expected)


def test_a_partial_update_is_judged_with_the_record_s_current_values_and_leaves_the_record_alone():
    program = ProgramFactory(start_date=date(2020, 5, 1))

    serializer = ProgramSerializer(program, data={"end_date": "2020-01-01"}, partial=True)

    assert _serializer_errors(serializer) == {"end_date": [str(END_BEFORE_START)]}
    assert program.end_date is None


def test_the_end_designation_form_compares_with_the_contact_s_start():
    form = EndDesignationForm({"until": "2020-01-01"}, since=date(2020, 5, 1))

    assert _form_errors(form) == {"until": [str(END_BEFORE_START)]}
    assert EndDesignationForm({"until": "2020-05-01"}, since=date(2020, 5, 1)).is_valid()


def test_the_organization_of_a_record_cannot_change_through_the_api():
    demarche = DemarcheFactory(organization=OrganizationFactory(acronym="OWN"))
    OrganizationFactory(acronym="ELSE")

    kept = DemarcheSerializer(demarche, data={"organization": "OWN"}, partial=True)
    moved = DemarcheSerializer(demarche, data={"organization": "ELSE"}, partial=True)

    assert kept.is_valid()
    assert list(_serializer_errors(moved)) == ["organization"]


def test_the_database_still_guards_the_rule_when_clean_is_skipped():
    interaction = InteractionFactory(date=date(2020, 5, 1))
    interaction.follow_up_due = date(2020, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        interaction.save()
