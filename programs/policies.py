"""Who sees and changes programs and what belongs to them: the programs app's entries in the policy registry."""

from django.db.models import QuerySet

from confidentiality.policies import DependentSubmissionPolicy, ReferencePolicy, SubmissionPolicy, register
from confidentiality.viewers import viewer_for
from programs.models import Document, Program, ProgramPartner, Tag


def register_policies() -> None:
    register(SubmissionPolicy(Program))
    # Documents and partnerships follow their program's audience; its editors change them.
    register(DependentSubmissionPolicy(Document, parent="program"))
    register(DependentSubmissionPolicy(ProgramPartner, parent="program"))
    register(ReferencePolicy(Tag))


def import_jobs_visible(user, queryset: QuerySet) -> QuerySet:
    """Import jobs: administrators see every organization's, a focal point its own organization's, nobody else any
    (the Committee reads programs, not who imported them)."""
    viewer = viewer_for(user)
    if viewer.is_admin:
        return queryset
    if viewer.is_focal_point:
        return queryset.filter(organization_id=viewer.organization_id)
    return queryset.none()
