"""Who sees and changes points of contact, demarches and regional coordinators (the policy registry's entries)."""

from confidentiality.policies import CommitteeRecordPolicy, InvolvedOrganizationsPolicy, SubmissionPolicy, register
from contacts.models import Demarche, PointOfContact, RegionalCoordinator


def register_policies() -> None:
    # A contact's details follow its audience; whether a role is designated is public (contacts.selectors).
    register(SubmissionPolicy(PointOfContact))
    # A demarche concerns one organization: the Committee, administrators and that organization see it.
    register(InvolvedOrganizationsPolicy(Demarche, organization_lookup="organization"))
    register(CommitteeRecordPolicy(RegionalCoordinator))
