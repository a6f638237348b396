"""Who is asking: the few facts about the acting user that every policy reads, worked out once per request.

This is the only place a user's role and organization are turned into access facts; policies read the
`Viewer`, never the `User` model's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from confidentiality.groups import ALL_IROS_GROUP, PUBLIC_GROUP
from confidentiality.index import shared_group_id
from iros.models import Membership, Organization
from portal.accounts.models import ORGANIZATION_ROLES, Role


@dataclass(frozen=True)
class Viewer:
    """What the policies need to know about the acting user."""

    user_id: int | None = None
    is_admin: bool = False
    is_committee: bool = False
    is_focal_point: bool = False
    organization_id: int | None = None
    organization_acronym: str | None = None
    organization_group_id: int | None = None
    group_ids: tuple[int, ...] = field(default_factory=tuple)
    # The organization row itself, read along with the membership: "the user's own organization" costs no query.
    organization: Organization | None = field(default=None, compare=False, repr=False)

    @property
    def is_signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def is_iro_user(self) -> bool:
        return self.organization_id is not None

    @property
    def sees_every_submission(self) -> bool:
        """The Committee and administrators read every submitted record (administrators drafts too)."""
        return self.is_admin or self.is_committee

    def belongs_to(self, organization_id: int | None) -> bool:
        return organization_id is not None and self.organization_id == organization_id

    def is_focal_point_of(self, organization_id: int | None) -> bool:
        return self.is_focal_point and self.belongs_to(organization_id)


def _anonymous() -> Viewer:
    return Viewer(group_ids=(shared_group_id(PUBLIC_GROUP),))


def viewer_for(user) -> Viewer:
    """The viewer behind a user; inactive users are anonymous. Cached on the user object (one request)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return _anonymous()
    cached = getattr(user, "_portal_viewer", None)
    if cached is not None:
        return cached
    organization = None
    group_ids: tuple[int, ...] = (shared_group_id(PUBLIC_GROUP),)
    if user.role in ORGANIZATION_ROLES:
        # One row at most (one-to-one); ordering by pk keeps the default ordering's join to the user out.
        membership = Membership.objects.filter(user_id=user.pk).select_related("organization").order_by("pk").first()
        if membership is not None:
            organization = membership.organization
            group_ids = tuple(
                group_id
                for group_id in (organization.group_id, shared_group_id(ALL_IROS_GROUP), shared_group_id(PUBLIC_GROUP))
                if group_id is not None
            )
    viewer = Viewer(
        user_id=user.pk,
        is_admin=user.role == Role.ADMIN or user.is_superuser,
        is_committee=user.role == Role.COMMITTEE,
        is_focal_point=user.role == Role.FOCAL_POINT and organization is not None,
        organization_id=organization.pk if organization else None,
        organization_acronym=organization.acronym if organization else None,
        organization_group_id=organization.group_id if organization else None,
        group_ids=group_ids,
        organization=organization,
    )
    user._portal_viewer = viewer
    return viewer


def own_organization(user) -> Organization | None:
    """The organization `user` belongs to (and creates records for); None for the Committee and administrators."""
    return viewer_for(user).organization


def organization_id_of(user) -> int | None:
    return viewer_for(user).organization_id
