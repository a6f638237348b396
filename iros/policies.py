"""Who sees and changes organizations, reference data and the IGO tables (the policy registry's entries)."""

from __future__ import annotations

from django.db.models import QuerySet

from confidentiality.policies import (
    CommitteeRecordPolicy,
    InvolvedOrganizationsPolicy,
    OwnOrganizationRowsPolicy,
    ReferencePolicy,
    register,
)
from confidentiality.viewers import Viewer
from iros.models import Agreement, Event, Interaction, Membership, Organization, Region, ThematicArea


class OrganizationPolicy(ReferencePolicy):
    """The directory is public. An organization's focal points edit its profile; administrators edit any, and
    alone change what identifies it (acronym, kind) and create organizations."""

    def can_change(self, viewer: Viewer, record: Organization) -> bool:
        return viewer.is_admin or viewer.is_focal_point_of(record.pk)

    def can_change_identity(self, viewer: Viewer, record: Organization) -> bool:
        return viewer.is_admin


class InteractionPolicy(InvolvedOrganizationsPolicy):
    """IGO-table rows: the Committee, administrators, the organizations involved; `public` ones everyone."""

    def reads_every_table(self, viewer: Viewer) -> bool:
        return viewer.sees_every_submission

    def can_read_table(self, viewer: Viewer, organization: Organization) -> bool:
        return self.reads_every_table(viewer) or viewer.belongs_to(organization.pk)

    def table_organizations(self, viewer: Viewer, queryset: QuerySet[Organization]) -> QuerySet[Organization]:
        """The organizations whose IGO table the viewer reads: all for the Committee and administrators, an IRO
        user's own only (not other organizations' tables, even where a public interaction names them)."""
        return OwnOrganizationRowsPolicy(Organization, organization_field="pk").visible(viewer, queryset)


def register_policies() -> None:
    register(OrganizationPolicy(Organization))
    register(ReferencePolicy(Region))
    register(ReferencePolicy(ThematicArea))
    # Who belongs to which organization: the Committee and administrators see all, IRO users their own.
    register(OwnOrganizationRowsPolicy(Membership))
    register(CommitteeRecordPolicy(Event))
    register(InteractionPolicy(Interaction, organization_lookup="organizations", public_lookup="public"))
    register(InvolvedOrganizationsPolicy(Agreement, organization_lookup="parties"))
