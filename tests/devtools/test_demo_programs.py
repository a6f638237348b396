"""The demo programs' regions: drawn from the leaf regions within an organization's scope."""

from iros.models import Region
from portal.devtools.demo.programs import region_leaves


def test_region_leaves_are_every_region_without_sub_regions_within_it():
    # given: World > Africa > (Eastern Africa, Northern Africa), World > Europe
    world = Region(pk=1, code="001")
    africa = Region(pk=2, code="002", parent_id=1)
    regions = [
        world,
        africa,
        Region(pk=3, code="015", parent_id=2),
        Region(pk=4, code="014", parent_id=2),
        Region(pk=5, code="150", parent_id=1),
    ]
    # when
    leaves = region_leaves(regions)
    # then
    assert sorted(leaves["001"]) == ["014", "015", "150"]
    assert sorted(leaves["002"]) == ["014", "015"]
    assert leaves["014"] == ["014"]
    assert leaves["150"] == ["150"]
