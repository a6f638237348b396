"""Reads of the contacts app, given the acting user.

Regional coordinators are public reference data (DESIGN.md, "Who sees what"); points of contact and demarches
are not, and are read through the confidentiality policy by their own selectors.
"""

from django.db.models import Prefetch, QuerySet

from contacts.models import RegionalCoordinator
from iros.models import Organization, Region

# The order the coordinators page presents them in: what stands first, what ended last.
COORDINATOR_STATUS_ORDER = (
    RegionalCoordinator.Status.APPOINTED,
    RegionalCoordinator.Status.PROPOSED,
    RegionalCoordinator.Status.DISCUSSED,
    RegionalCoordinator.Status.ENDED,
)


def coordinator_list(*, actor) -> QuerySet[RegionalCoordinator]:
    return RegionalCoordinator.objects.select_related("host").prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("name"))
    )


def coordinators_by_status(*, actor) -> list[tuple[str, str, list[RegionalCoordinator]]]:
    """(status, label, coordinators) for every status, in presentation order, empty groups included."""
    groups: dict[str, list[RegionalCoordinator]] = {status: [] for status in COORDINATOR_STATUS_ORDER}
    for coordinator in coordinator_list(actor=actor):
        groups[coordinator.status].append(coordinator)
    return [(status.value, status.label, groups[status]) for status in COORDINATOR_STATUS_ORDER]


def coordinator_list_for_host(*, actor, host: Organization) -> QuerySet[RegionalCoordinator]:
    return coordinator_list(actor=actor).filter(host=host)
