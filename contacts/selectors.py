"""Reads of the contacts app, given the acting user.

Regional coordinators are public reference data (DESIGN.md, "Who sees what"); points of contact and demarches
are not, and are read through the confidentiality policy by their own selectors.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, QuerySet

from confidentiality import policies
from confidentiality.models import State
from contacts.models import ContactRole, Demarche, PointOfContact, RegionalCoordinator
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


# --- designation status (public, resolution 1977) ------------------------------------------------------------
# Whether an organization has designated a point of contact for a role, and since when, is public; the contact's
# details are a submission and follow its audience. These selectors read only (organization, role, since) of
# standing designations — never a name, e-mail or phone — so they need no viewer.


@dataclass(frozen=True)
class RoleDesignation:
    role: str
    label: str
    designated: bool
    since: date | None = None


@dataclass(frozen=True)
class OrganizationDesignation:
    organization: Organization
    roles: tuple[RoleDesignation, ...]

    @property
    def complete(self) -> bool:
        return all(role.designated for role in self.roles)

    @property
    def designated_count(self) -> int:
        return sum(role.designated for role in self.roles)

    def for_role(self, role: str) -> RoleDesignation:
        return next(designation for designation in self.roles if designation.role == role)


def standing_designations() -> QuerySet[PointOfContact]:
    """Submitted contacts whose designation still stands (drafts and ended designations do not count)."""
    return PointOfContact.objects.filter(state=State.SUBMITTED, until__isnull=True)


def designated_organization_ids(*, role: str | None = None) -> QuerySet:
    """Ids of organizations with a standing designation (for `role`, or for any role): a subquery for filters."""
    designations = standing_designations()
    if role:
        designations = designations.filter(role=role)
    return designations.values("organization_id")


def designation_status(*, organizations=None) -> list[OrganizationDesignation]:
    """Per organization (all of them by default) and role: designated or not, and since when. One query.

    `organizations` is a queryset or an iterable of organizations, kept in its order.
    """
    organizations = list(Organization.objects.order_by("acronym") if organizations is None else organizations)
    designations = standing_designations().filter(organization__in=[org.pk for org in organizations])
    since: dict[tuple[int, str], date | None] = {
        (organization_id, role): started
        for organization_id, role, started in designations.values_list("organization_id", "role", "since")
    }
    return [
        OrganizationDesignation(
            organization=organization,
            roles=tuple(
                RoleDesignation(
                    role=role.value,
                    label=role.label,
                    designated=(organization.pk, role.value) in since,
                    since=since.get((organization.pk, role.value)),
                )
                for role in ContactRole
            ),
        )
        for organization in organizations
    ]


def designation_summary(*, organizations: QuerySet[Organization] | None = None) -> dict:
    """How many organizations have designated each role, both roles, or none: public figures, two queries."""
    organizations = Organization.objects.all() if organizations is None else organizations
    total = organizations.count()
    per_organization = (
        standing_designations()
        .filter(organization__in=organizations.values("pk"))
        .values("organization_id")
        .annotate(roles=Count("role", distinct=True))
    )
    by_role = dict(
        standing_designations()
        .filter(organization__in=organizations.values("pk"))
        .values_list("role")
        .annotate(count=Count("organization_id", distinct=True))
    )
    complete = sum(1 for row in per_organization if row["roles"] == len(ContactRole))
    some = len(per_organization)
    return {
        "total": total,
        "complete": complete,
        "none": total - some,
        "by_role": [(role.value, role.label, by_role.get(role.value, 0)) for role in ContactRole],
    }


# --- points of contact (details follow each record's audience) -----------------------------------------------


def contact_list_for(*, actor) -> QuerySet[PointOfContact]:
    """Every point of contact `actor` may see, with its organization."""
    return policies.visible_to(actor, PointOfContact.objects.select_related("organization")).order_by(
        "organization__acronym", "role", "-since", "-id"
    )


def contact_get_for(*, actor, contact_id) -> PointOfContact:
    """The contact, or Http404 when it is missing or hidden from `actor` (the same answer)."""
    return policies.get_visible_or_404(actor, PointOfContact.objects.select_related("organization"), pk=contact_id)


def contact_get_by_key_for(*, actor, organization: Organization, external_key: str) -> PointOfContact | None:
    """`organization`'s contact with this key (`PointOfContact.external_key`) if `actor` may see it, else None."""
    return contact_list_for(actor=actor).filter(organization=organization, external_key=external_key).first()


def contact_get_for_edit(*, actor, contact_id) -> PointOfContact:
    """404 when hidden, 403 when visible but not editable by `actor`."""
    contact = contact_get_for(actor=actor, contact_id=contact_id)
    if not policies.can_edit(actor, contact):
        raise PermissionDenied
    return contact


def standing_contacts_for(*, actor, organizations) -> dict[tuple[int, str], PointOfContact]:
    """(organization id, role) → the standing contact whose details `actor` may see, for these organizations."""
    contacts = contact_list_for(actor=actor).filter(
        state=State.SUBMITTED, until__isnull=True, organization__in=[org.pk for org in organizations]
    )
    return {(contact.organization_id, contact.role): contact for contact in contacts}


def standing_contact_for(*, actor, organization: Organization, role: str, exclude=None) -> PointOfContact | None:
    """The standing designation of `organization` for `role`, if `actor` may see its details (else None)."""
    contacts = contact_list_for(actor=actor).filter(
        organization=organization, role=role, state=State.SUBMITTED, until__isnull=True
    )
    if exclude is not None:
        contacts = contacts.exclude(pk=exclude.pk)
    return contacts.first()


def contact_predecessors_for(*, actor, contact: PointOfContact) -> QuerySet[PointOfContact]:
    """Earlier designations for the same organization and role that `actor` may see, newest first."""
    return (
        contact_list_for(actor=actor)
        .filter(organization_id=contact.organization_id, role=contact.role, until__isnull=False)
        .exclude(pk=contact.pk)
        .order_by("-until", "-since", "-id")
    )


# --- demarches (Committee, administrators and the organization concerned) ------------------------------------


def demarche_list_for(*, actor) -> QuerySet[Demarche]:
    rows = Demarche.objects.select_related("organization", "sent_by", "answered_by", "designation")
    return policies.visible_to(actor, rows).order_by("-sent_on", "-id")


def demarche_get_for(*, actor, demarche_id) -> Demarche:
    rows = Demarche.objects.select_related("organization", "sent_by", "answered_by", "designation")
    return policies.get_visible_or_404(actor, rows, pk=demarche_id)


def demarche_get_for_edit(*, actor, demarche_id) -> Demarche:
    demarche = demarche_get_for(actor=actor, demarche_id=demarche_id)
    if not policies.can_edit(actor, demarche):
        raise PermissionDenied
    return demarche


def _demarche_policy():
    return policies.policy_for(Demarche)


def demarche_organizations_for(*, actor) -> QuerySet[Organization]:
    """The organizations whose demarches `actor` reads (what the demarche log offers to filter by)."""
    return _demarche_policy().organizations(policies.viewer_for(actor), Organization.objects.order_by("acronym"))


def may_answer_demarche(*, actor, demarche: Demarche) -> bool:
    """May `actor` answer `demarche` for the organization it is addressed to (open, and a focal point of it)?"""
    return _demarche_policy().can_answer(policies.viewer_for(actor), demarche)


def demarches_addressed_to(*, actor, organization: Organization, limit: int | None = None) -> list[Demarche]:
    """The demarches to `organization` that `actor` may see, those awaiting an answer first, then the newest."""
    demarches = (
        policies.visible_to(actor, Demarche.objects.filter(organization=organization))
        .select_related("organization")
        .order_by(F("answered_on").desc(nulls_first=True), "-sent_on", "-id")
    )
    return list(demarches[:limit] if limit else demarches)


def demarches_answered_by(*, actor, contact: PointOfContact) -> int:
    """How many demarches `actor` may see were answered by designating `contact`."""
    return policies.visible_to(actor, Demarche.objects.filter(designation=contact)).count()


def demarche_designations_visible(*, actor, demarches) -> set[int]:
    """Ids of the points of contact that answered these demarches and whose details `actor` may see: a demarche
    names the contact that answered it only to whom may read that contact. One query."""
    ids = {demarche.designation_id for demarche in demarches if demarche.designation_id}
    if not ids:
        return set()
    return set(contact_list_for(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))


def designation_organizations(*, actor) -> QuerySet[Organization]:
    """The organizations of the designation table: every one (the directory and designations are public)."""
    return Organization.objects.order_by("acronym")
