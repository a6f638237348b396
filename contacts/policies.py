"""Who sees and changes points of contact, demarches and regional coordinators (the policy registry's entries)."""

from __future__ import annotations

from django.db.models import QuerySet

from confidentiality.policies import (
    CommitteeRecordPolicy,
    InvolvedOrganizationsPolicy,
    OwnOrganizationRowsPolicy,
    SubmissionPolicy,
    register,
)
from confidentiality.viewers import Viewer
from contacts.models import Demarche, PointOfContact, RegionalCoordinator
from iros.models import Organization


class DemarchePolicy(InvolvedOrganizationsPolicy):
    """A demarche is the Committee's work about one organization: the Committee and administrators see and keep
    every one; the organization it is addressed to sees its own, and its focal points answer it while it is open
    (by designating a point of contact or with a reply)."""

    def can_answer(self, viewer: Viewer, record: Demarche) -> bool:
        return record.is_open and (viewer.is_admin or viewer.is_focal_point_of(record.organization_id))

    def organizations(self, viewer: Viewer, queryset: QuerySet[Organization]) -> QuerySet[Organization]:
        """The organizations whose demarches the viewer reads: every one for the Committee and administrators, an
        IRO user's own only, none for anyone else (what a demarche list offers to filter by)."""
        return OwnOrganizationRowsPolicy(Organization, organization_field="pk").visible(viewer, queryset)


def register_policies() -> None:
    # A contact's details follow its audience; whether a role is designated is public (contacts.selectors).
    register(SubmissionPolicy(PointOfContact))
    # A demarche concerns one organization: the Committee, administrators and that organization see it.
    register(DemarchePolicy(Demarche, organization_lookup="organization"))
    register(CommitteeRecordPolicy(RegionalCoordinator))
