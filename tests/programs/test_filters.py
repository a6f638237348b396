"""The program filters shared by the list, the API and the exports."""

import pytest

from programs.filters import ProgramFilterSet
from programs.models import Program
from tests.factories import OrganizationFactory, ProgramFactory, m49_regions

pytestmark = pytest.mark.django_db


def test_world_finds_a_program_for_eastern_africa():
    # given: a program tagged with Eastern Africa, three levels below World, and one for Europe
    regions = m49_regions()
    eastern = ProgramFactory(organization=OrganizationFactory(acronym="IGAD"), title="Horn of Africa borders")
    eastern.regions.add(regions["014"])
    european = ProgramFactory(organization=OrganizationFactory(acronym="OSCE"), title="Danube borders")
    european.regions.add(regions["150"])

    def titles(code: str) -> list[str]:
        found = ProgramFilterSet({"region": code}, queryset=Program.objects.order_by("title")).qs
        return [program.title for program in found]

    # when / then
    assert titles("001") == ["Danube borders", "Horn of Africa borders"]
    assert titles("002") == titles("202") == titles("014") == ["Horn of Africa borders"]
    assert titles("015") == []
