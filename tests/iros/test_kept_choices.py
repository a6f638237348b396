"""The options of reference-data selects are built once per process and language, and rebuilt when the reference
data changes (portal.kernel.reference_choices, iros.fields)."""

import pytest
from django.core.cache import cache
from django.utils import translation

from iros.fields import country_choices, organization_filter
from iros.models import Organization
from portal.kernel.reference_choices import GENERATION_CHECK, GENERATION_KEY, reference_choices
from programs.filters import ProgramFilterSet
from programs.models import Program
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def options(filterset, name: str) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in filterset.form.fields[name].choices]


def program_filters() -> ProgramFilterSet:
    return ProgramFilterSet({}, queryset=Program.objects.all())


def test_the_options_are_what_the_field_lists_and_are_read_once(django_assert_num_queries):
    OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    OrganizationFactory(acronym="AU", name="African Union")
    expected = [("", "Any organization")] + [
        (organization.acronym, str(organization)) for organization in Organization.objects.order_by("acronym")
    ]

    with django_assert_num_queries(1):
        assert options(program_filters(), "organization") == expected
    with django_assert_num_queries(0):
        assert options(program_filters(), "organization") == expected
        assert len(program_filters().form.fields["organization"].choices) == len(expected)


def test_an_organization_saved_or_deleted_shows_in_the_next_options_at_once():
    OrganizationFactory(acronym="AU")
    assert [value for value, _label in options(program_filters(), "partner")] == ["", "AU"]

    added = OrganizationFactory(acronym="ECOWAS")
    assert [value for value, _label in options(program_filters(), "partner")] == ["", "AU", "ECOWAS"]

    added.name = "Economic Community of West African States"
    added.save()
    assert ("ECOWAS", str(added)) in options(program_filters(), "partner")

    added.delete()
    assert [value for value, _label in options(program_filters(), "partner")] == ["", "AU"]


def test_another_process_bumping_the_generation_makes_this_one_rebuild(monkeypatch):
    built = []
    clock = [1000.0]
    monkeypatch.setattr("portal.kernel.reference_choices.time.monotonic", lambda: clock[0])

    def build():
        built.append(1)
        return [("a", "A")]

    reference_choices("probe", build)
    reference_choices("probe", build)
    assert len(built) == 1

    cache.set(GENERATION_KEY, cache.get(GENERATION_KEY, 0) + 1)  # what a write in another process does
    reference_choices("probe", build)
    assert len(built) == 1  # within GENERATION_CHECK seconds, the generation read last still stands

    clock[0] += GENERATION_CHECK
    reference_choices("probe", build)
    assert len(built) == 2


def test_a_narrowed_queryset_lists_its_own_rows_not_the_kept_ones():
    OrganizationFactory(acronym="AU")
    OrganizationFactory(acronym="OSCE")
    everyone = organization_filter()
    narrowed = organization_filter()
    narrowed.queryset = Organization.objects.filter(acronym="OSCE")

    assert [value for value, _label in everyone.field.choices] == ["", "AU", "OSCE"]
    assert [value for value, _label in narrowed.field.choices] == ["", "OSCE"]
    assert [value for value, _label in everyone.field.choices] == ["", "AU", "OSCE"]


def test_each_language_keeps_its_own_options():
    with translation.override("en"):
        english = dict(country_choices())
    with translation.override("fr"):
        french = dict(country_choices())
    with translation.override("en"):
        assert dict(country_choices()) == english

    assert english["DE"] == "Germany"
    assert french["DE"] == "Allemagne"


def test_a_chosen_option_stays_selected_in_the_rendered_select():
    OrganizationFactory(acronym="AU")
    OrganizationFactory(acronym="OSCE")
    program_filters().form.as_p()  # the options are now kept

    html = str(ProgramFilterSet({"organization": "OSCE"}, queryset=Program.objects.all()).form["organization"])

    assert '<option value="OSCE" selected>OSCE</option>' in html
    assert '<option value="AU">AU</option>' in html
