"""Region filters: a region stands for itself and every region inside it, at any depth of the M49 tree."""

import pytest

from contacts.filters import CoordinatorFilterSet, DesignationFilterSet
from contacts.models import RegionalCoordinator
from iros.filters import EventFilterSet, IgoTableFilterSet, OrganizationFilterSet
from iros.models import Event, Interaction, Organization
from tests.factories import (
    EventFactory,
    InteractionFactory,
    OrganizationFactory,
    RegionalCoordinatorFactory,
    m49_regions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    return m49_regions()


def test_world_finds_an_organization_whose_region_is_eastern_africa(regions):
    # given: Eastern Africa lies three levels below World (World → Africa → Sub-Saharan Africa → Eastern Africa)
    igad = OrganizationFactory(acronym="IGAD")
    igad.regions.add(regions["014"])
    OrganizationFactory(acronym="NOWHERE")

    # when / then: every region above Eastern Africa finds it, a sibling does not
    for code in ("001", "002", "202", "014"):
        found = OrganizationFilterSet({"region": code}, queryset=Organization.objects.all()).qs
        assert [organization.acronym for organization in found] == ["IGAD"], code
    assert not OrganizationFilterSet({"region": "015"}, queryset=Organization.objects.all()).qs.exists()


def test_the_designation_table_and_the_igo_tables_filter_regions_alike(regions):
    igad = OrganizationFactory(acronym="IGAD")
    igad.regions.add(regions["014"])
    interaction = InteractionFactory()
    interaction.organizations.add(igad)

    designations = DesignationFilterSet({"region": "001"}, queryset=Organization.objects.all()).qs
    tables = IgoTableFilterSet({"region": "001"}, queryset=Interaction.objects.all()).qs

    assert list(designations) == [igad]
    assert list(tables) == [interaction]


def test_coordinators_and_events_are_found_from_a_broader_region(regions):
    coordinator = RegionalCoordinatorFactory(area="East Africa")
    coordinator.regions.add(regions["014"])
    event = EventFactory(region=regions["014"])
    EventFactory(region=regions["150"])

    coordinators = CoordinatorFilterSet({"region": "002"}, queryset=RegionalCoordinator.objects.all()).qs
    events = EventFilterSet({"region": "002"}, queryset=Event.objects.all()).qs

    assert list(coordinators) == [coordinator]
    assert list(events) == [event]
