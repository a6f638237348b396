"""Reads for the home page, given the acting user."""

from dataclasses import dataclass

from contacts.models import RegionalCoordinator
from iros.models import Event, Organization


@dataclass(frozen=True)
class PublicFigures:
    organizations: int
    coordinators_appointed: int
    events: int


def public_figures(*, actor) -> PublicFigures:
    """Counts of public reference data only: nothing here may reveal a submission."""
    return PublicFigures(
        organizations=Organization.objects.count(),
        coordinators_appointed=RegionalCoordinator.objects.filter(status=RegionalCoordinator.Status.APPOINTED).count(),
        events=Event.objects.count(),
    )


def home_organization(*, actor) -> Organization | None:
    """The signed-in user's organization, if they belong to one."""
    membership = getattr(actor, "membership", None)
    return membership.organization if membership is not None else None
