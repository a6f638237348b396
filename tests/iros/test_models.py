import pytest
from django.db import IntegrityError, transaction

from iros.models import Membership, Organization
from tests.factories import EventFactory, OrganizationFactory, UserFactory


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
