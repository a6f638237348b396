import pytest
from django.db import IntegrityError, transaction

from iros.models import Membership, Organization, Region
from tests.factories import EventFactory, OrganizationFactory, RegionFactory, UserFactory, m49_regions


@pytest.mark.django_db
def test_acronym_must_be_capitals_digits_and_hyphens():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(acronym="bad acronym", name="Bad", kind=Organization.Kind.REGIONAL)
    OrganizationFactory(acronym="BWC-ISU")
    assert Organization.objects.filter(acronym="BWC-ISU").exists()


@pytest.mark.django_db
def test_acronym_is_unique():
    Organization.objects.create(acronym="AU", name="African Union", kind=Organization.Kind.REGIONAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(acronym="AU", name="Again", kind=Organization.Kind.REGIONAL)


@pytest.mark.django_db
def test_a_user_belongs_to_at_most_one_organization():
    user = UserFactory()
    Membership.objects.create(user=user, organization=OrganizationFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organization=OrganizationFactory())


@pytest.mark.django_db
def test_event_cannot_end_before_it_starts():
    event = EventFactory()
    event.end_date = event.start_date.replace(year=event.start_date.year - 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


# --- regions -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_region_holds_itself_and_every_region_inside_it_at_any_depth():
    regions = m49_regions()

    def codes(queryset) -> set[str]:
        return set(queryset.values_list("code", flat=True))

    assert codes(Region.objects.within(regions["001"])) == set(regions)
    assert codes(Region.objects.within(regions["002"])) == {"002", "015", "202", "014", "017", "018", "011"}
    assert codes(Region.objects.within(regions["014"])) == {"014"}
    subtrees = {region.code: set(region.subtree_ids) for region in Region.objects.with_subtree_ids()}
    for code, region in regions.items():
        assert subtrees[code] == set(Region.objects.within(region).values_list("pk", flat=True)), code


@pytest.mark.django_db
def test_a_cycle_entered_by_hand_ends_the_descent():
    # given: two regions each inside the other (the admin could save that)
    first = RegionFactory(code="901")
    second = RegionFactory(code="902", parent=first)
    Region.objects.filter(pk=first.pk).update(parent=second)

    # when / then: the recursion stops instead of looping
    assert set(Region.objects.within(first).values_list("code", flat=True)) == {"901", "902"}
