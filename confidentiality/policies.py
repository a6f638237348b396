"""The visibility policy registry: one policy object per record kind answers every access question.

Each app declares, in its `AppConfig.ready`, the policy of each of its record kinds (the Wagtail
`BasePermissionPolicy` idea, with this project's SQL):

- which records may this viewer see (`visible`: a queryset filter),
- may this viewer change, delete, create or re-share this record (`can_change`, `can_delete`, `can_create`,
  `can_reshare`),
- which organizations and roles see it (`reach`: for previews, notifications and the "why" panel).

Lists, details, search, exports, counts, charts, related panels, API fields, notifications and tasks all ask
through the module-level functions below, which find the record kind's policy in the registry. A kind nobody
registered has no policy and every question about it fails closed (LookupError). This module, the policy
classes it offers and `confidentiality.services` are the only code that touches the grant index; no app
is imported here.

The Committee and administrators are explicit roles decided before any SQL. Everyone else is reduced to a
short list of auth Group ids worked out in code (`confidentiality.viewers`), so a submission's visibility is
one `EXISTS` on its grant table's unique index — no OR, no union, and no membership rows for shared groups.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from confidentiality import index
from confidentiality.groups import ALL_IROS_GROUP, PUBLIC_GROUP
from confidentiality.models import Audience, SharingAudit, State, Submission
from confidentiality.viewers import Viewer, organization_id_of, own_organization, viewer_for

__all__ = [
    "Policy",
    "ReferencePolicy",
    "CommitteeRecordPolicy",
    "InvolvedOrganizationsPolicy",
    "OrganizationAdministrationPolicy",
    "OwnOrganizationRowsPolicy",
    "OwnRowsPolicy",
    "SubmissionPolicy",
    "DependentSubmissionPolicy",
    "Reach",
    "ReachChange",
    "Viewers",
    "reach_change",
    "register",
    "policy_for",
    "registered_models",
    "viewer_for",
    "own_organization",
    "organization_id_of",
    "visible_to",
    "restricted_for",
    "get_visible_or_404",
    "can_view",
    "can_edit",
    "can_delete",
    "can_create",
    "can_change_sharing",
    "can_create_submission",
    "can_record_committee_work",
    "can_see_sharing_details",
    "who_can_view",
    "reach_of",
    "in_reach",
    "why_visible",
]


# --- who sees a submission ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """Who can see a submission: explained to people, never used to filter."""

    state: str
    audience: str
    owner_id: int
    organization_ids: tuple[int, ...]  # organizations granted explicitly (owner and selected)
    all_iros: bool
    public: bool

    @property
    def committee(self) -> bool:
        return self.state == State.SUBMITTED


def reach_of(*, organization_id: int, state: str, audience: str, shared_with_ids=()) -> Reach:
    """Who would see a record with these fields: the preview before saving, and the rule the index follows."""
    submitted = state == State.SUBMITTED
    selected = tuple(sorted(set(shared_with_ids))) if submitted and audience == Audience.SELECTED else ()
    return Reach(
        state=state,
        audience=audience,
        owner_id=organization_id,
        organization_ids=(organization_id, *(pk for pk in selected if pk != organization_id)),
        all_iros=submitted and audience in (Audience.ALL_IROS, Audience.PUBLIC),
        public=submitted and audience == Audience.PUBLIC,
    )


@dataclass(frozen=True)
class Viewers:
    """Some of the people a Reach names, beyond the owner organization and administrators (who always see)."""

    committee: bool = False
    organization_ids: tuple[int, ...] = ()  # organizations named one by one (a record's `shared_with`)
    all_iros: bool = False
    public: bool = False

    def __bool__(self) -> bool:
        return self.committee or bool(self.organization_ids) or self.all_iros or self.public


@dataclass(frozen=True)
class ReachChange:
    """Who starts and who stops seeing a record when its reach goes from one to another."""

    gains: Viewers
    losses: Viewers
    # When every IRO loses sight of it, the organizations still named keep it ("all IROs but X and Y").
    keeping_organization_ids: tuple[int, ...] = ()

    @property
    def narrows(self) -> bool:
        return bool(self.losses)

    @property
    def losses_key(self) -> str:
        """The losses in a few stable words: what a person confirmed, compared with what a save would do now."""
        parts = [name for name in ("committee", "all_iros", "public") if getattr(self.losses, name)]
        return " ".join([*parts, *(str(pk) for pk in self.losses.organization_ids)])


def reach_change(before: Reach, after: Reach) -> ReachChange:
    """Who gains and who loses sight of a record going from `before` to `after`. An organization named in one and
    not the other changes nothing when every IRO sees the record anyway (it saw it, or keeps seeing it, as an IRO).
    """
    # The public includes every IRO (a reach read from the grant index names only the public group).
    iros_before, iros_after = before.all_iros or before.public, after.all_iros or after.public
    selected_before = set(before.organization_ids) - {before.owner_id}
    selected_after = set(after.organization_ids) - {after.owner_id}
    gained = () if iros_before else tuple(sorted(selected_after - selected_before))
    lost = () if iros_after else tuple(sorted(selected_before - selected_after))
    all_iros_lost = iros_before and not iros_after
    return ReachChange(
        gains=Viewers(
            committee=after.committee and not before.committee,
            organization_ids=gained,
            all_iros=iros_after and not iros_before,
            public=after.public and not before.public,
        ),
        losses=Viewers(
            committee=before.committee and not after.committee,
            organization_ids=lost,
            all_iros=all_iros_lost,
            public=before.public and not after.public,
        ),
        keeping_organization_ids=tuple(sorted(selected_after)) if all_iros_lost else (),
    )


# --- the policy classes -------------------------------------------------------------------------------------


class Policy:
    """The rules of one record kind. Subclasses answer `visible`; by default only administrators act."""

    def __init__(self, model: type[models.Model]):
        self.model = model

    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        raise NotImplementedError

    def can_view(self, viewer: Viewer, record: models.Model) -> bool:
        return self.visible(viewer, self.model._default_manager.filter(pk=record.pk)).exists()

    def can_change(self, viewer: Viewer, record: models.Model) -> bool:
        return viewer.is_admin

    def can_delete(self, viewer: Viewer, record: models.Model) -> bool:
        return self.can_change(viewer, record)

    def can_create(self, viewer: Viewer, organization=None) -> bool:
        return viewer.is_admin


class ReferencePolicy(Policy):
    """Public reference data: everyone reads it; administrators change it."""

    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        return queryset


def _keeps_committee_records(viewer: Viewer) -> bool:
    return viewer.is_admin or viewer.is_committee


def _submits_for(viewer: Viewer, organization) -> bool:
    """Records owned by `organization` (None: any organization) are created by its focal points or an admin."""
    if viewer.is_admin:
        return True
    return viewer.is_focal_point and (organization is None or viewer.belongs_to(organization.pk))


class CommitteeRecordPolicy(ReferencePolicy):
    """Public records the Committee keeps (events, regional coordinators): Committee experts change them too."""

    def can_change(self, viewer: Viewer, record: models.Model) -> bool:
        return _keeps_committee_records(viewer)

    def can_create(self, viewer: Viewer, organization=None) -> bool:
        return _keeps_committee_records(viewer)


class InvolvedOrganizationsPolicy(CommitteeRecordPolicy):
    """The Committee's records about organizations (interactions, agreements, demarches).

    Seen by the Committee, administrators and the organizations involved (`organization_lookup`); rows whose
    `public_lookup` flag is set by everyone. Kept by Committee experts and administrators.
    """

    def __init__(self, model: type[models.Model], *, organization_lookup: str, public_lookup: str | None = None):
        super().__init__(model)
        self.organization_lookup = organization_lookup
        self.public_lookup = public_lookup

    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if viewer.sees_every_submission:
            return queryset
        condition = Q(pk__in=[])
        if self.public_lookup:
            condition |= Q(**{self.public_lookup: True})
        if viewer.organization_id is not None:
            # A subquery rather than a join keeps one row per record (no DISTINCT needed for counts).
            involved = self.model._default_manager.filter(**{self.organization_lookup: viewer.organization_id})
            condition |= Q(pk__in=involved.values("pk"))
        return queryset.filter(condition)


class OwnOrganizationRowsPolicy(Policy):
    """Rows about one organization (`organization_field`): the Committee and administrators see them all, an IRO
    user those of its own organization, nobody else any."""

    def __init__(self, model: type[models.Model], *, organization_field: str = "organization_id"):
        super().__init__(model)
        self.organization_field = organization_field

    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if viewer.sees_every_submission:
            return queryset
        if viewer.is_iro_user:
            return queryset.filter(**{self.organization_field: viewer.organization_id})
        return queryset.none()


class OrganizationAdministrationPolicy(Policy):
    """Rows about running an organization's part of the portal (invitations): administrators see and
    change them all, the organization's focal points its own, nobody else any (the Committee reads the records,
    not who administers them)."""

    def __init__(self, model: type[models.Model], *, organization_field: str = "organization_id"):
        super().__init__(model)
        self.organization_field = organization_field

    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if viewer.is_admin:
            return queryset
        if viewer.is_focal_point:
            return queryset.filter(**{self.organization_field: viewer.organization_id})
        return queryset.none()

    def can_change(self, viewer: Viewer, record: models.Model) -> bool:
        return viewer.is_admin or viewer.is_focal_point_of(getattr(record, self.organization_field))


class OwnRowsPolicy(Policy):
    """A person's own rows (`user_field` names them): each signed-in user sees theirs; administrators all of them
    when `administrators_see_all` (sessions, API tokens), or only their own too (notifications)."""

    def __init__(self, model: type[models.Model], *, user_field: str = "user_id", administrators_see_all: bool = True):
        super().__init__(model)
        self.user_field = user_field
        self.administrators_see_all = administrators_see_all

    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if viewer.is_admin and self.administrators_see_all:
            return queryset
        if viewer.is_signed_in:
            return queryset.filter(**{self.user_field: viewer.user_id})
        return queryset.none()


class SubmissionPolicy(Policy):
    """What an IRO submits (`confidentiality.models.Submission`): visibility by state and audience.

    Drafts: the owner organization and administrators. Submitted: also the Committee, plus whom the audience
    names — read from the grant index with one `EXISTS`. The owner's focal points and administrators change,
    delete and re-share it; they alone create records for the organization.
    """

    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if viewer.is_admin:
            return queryset
        if viewer.is_committee:
            return queryset.filter(state=State.SUBMITTED)
        return index.filter_by_grants(queryset, viewer.group_ids)

    def can_change(self, viewer: Viewer, record: Submission) -> bool:
        return viewer.is_admin or viewer.is_focal_point_of(record.organization_id)

    def can_reshare(self, viewer: Viewer, record: Submission) -> bool:
        """State and audience: a focal point of the owner organization, or an administrator."""
        return viewer.is_admin or viewer.is_focal_point_of(record.organization_id)

    def can_create(self, viewer: Viewer, organization=None) -> bool:
        """`organization` None asks whether the viewer creates records for any organization at all."""
        return _submits_for(viewer, organization)

    def can_see_sharing_details(self, viewer: Viewer, record: Submission) -> bool:
        """`shared_with` and the audit: the owner organization, the Committee and administrators."""
        return viewer.sees_every_submission or viewer.belongs_to(record.organization_id)

    def reach(self, record: Submission) -> Reach:
        """Who can see `record` now, read from its grant index (what the read path actually enforces)."""
        group_ids = index.view_group_ids(record)
        organization_model = self.model._meta.get_field("organization").related_model
        organization_ids = tuple(
            organization_model._default_manager.filter(group_id__in=group_ids)
            .order_by("acronym")
            .values_list("pk", flat=True)
        )
        return Reach(
            state=record.state,
            audience=record.audience,
            owner_id=record.organization_id,
            organization_ids=organization_ids,
            all_iros=index.shared_group_id(ALL_IROS_GROUP) in group_ids,
            public=index.shared_group_id(PUBLIC_GROUP) in group_ids,
        )

    def in_reach(self, viewer: Viewer, reach: Reach) -> bool:
        """Would `viewer` see a record of this kind whose fields give `reach`? `visible` for fields that are no
        longer (or not yet) the record's own: what the record was at a moment of its history."""
        if viewer.is_admin:
            return True
        if viewer.is_committee:
            return reach.committee
        if reach.public:
            return True
        return viewer.is_iro_user and (reach.all_iros or viewer.organization_id in reach.organization_ids)

    def why_visible(self, viewer: Viewer, record: Submission) -> str:
        """A short, translatable reason the viewer can see the record (shown on detail pages)."""
        if viewer.is_admin:
            return _("You are an administrator.")
        if viewer.is_committee:
            return _("Committee experts see every submitted record.")
        if viewer.belongs_to(record.organization_id):
            return _("Your organization owns this record.")
        if record.audience == Audience.PUBLIC:
            return _("Its owner made it public.")
        if record.audience == Audience.ALL_IROS:
            return _("Its owner shared it with all IROs.")
        return _("Its owner shared it with your organization.")


class DependentSubmissionPolicy(Policy):
    """Records that belong to a submission (documents, partnerships) follow its audience and its editors."""

    def __init__(self, model: type[models.Model], *, parent: str):
        super().__init__(model)
        self.parent = parent
        self.parent_model = model._meta.get_field(parent).related_model

    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if viewer.is_admin:
            return queryset
        if viewer.is_committee:
            return queryset.filter(**{f"{self.parent}__state": State.SUBMITTED})
        return queryset.filter(index.grants_exist(self.parent_model, viewer.group_ids, outer=f"{self.parent}_id"))

    def can_change(self, viewer: Viewer, record: models.Model) -> bool:
        return policy_for(self.parent_model).can_change(viewer, getattr(record, self.parent))

    def can_create(self, viewer: Viewer, organization=None) -> bool:
        return policy_for(self.parent_model).can_create(viewer, organization)


# --- the registry -------------------------------------------------------------------------------------------

_registry: dict[type[models.Model], Policy] = {}


def register(policy: Policy) -> Policy:
    """Declare the policy of a record kind (from its app's `AppConfig.ready`). A kind has exactly one."""
    existing = _registry.get(policy.model)
    if existing is not None and type(existing) is not type(policy):
        raise ImproperlyConfigured(f"{policy.model._meta.label} already has a policy: {type(existing).__name__}")
    if issubclass(policy.model, Submission) and not isinstance(policy, SubmissionPolicy):
        raise ImproperlyConfigured(f"{policy.model._meta.label} is a submission: register a SubmissionPolicy")
    _registry[policy.model] = policy
    return policy


def policy_for(model_or_record) -> Policy:
    """The policy of a model (or of a record's model); LookupError for a kind nobody registered."""
    model = model_or_record if isinstance(model_or_record, type) else type(model_or_record)
    model = model._meta.concrete_model
    try:
        return _registry[model]
    except KeyError:
        raise LookupError(f"No visibility policy is registered for {model._meta.label}") from None


def registered_models() -> list[type[models.Model]]:
    return list(_registry)


def _submission_policy(record) -> SubmissionPolicy:
    policy = policy_for(record)
    if not isinstance(policy, SubmissionPolicy):
        raise LookupError(f"{type(record)._meta.label} is not a submission")
    return policy


# --- the questions every caller asks ------------------------------------------------------------------------


def visible_to(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` that `user` may see. Fails closed for a model with no registered policy.

    The result is marked with the viewer it was restricted for (the mark survives further filtering), so a
    generic caller can tell a queryset that went through the policy from one that did not.
    """
    viewer = viewer_for(user)
    visible = policy_for(queryset.model).visible(viewer, queryset.all())
    visible.query._portal_restricted_for = viewer
    return visible


def restricted_for(user, queryset: QuerySet) -> bool:
    """Did `queryset` go through `visible_to` for this user?"""
    return getattr(queryset.query, "_portal_restricted_for", None) == viewer_for(user)


def get_visible_or_404(user, queryset: QuerySet, **lookup):
    """The record if `user` may see it; Http404 for missing and hidden alike."""
    try:
        return visible_to(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_view(user, record: models.Model) -> bool:
    return policy_for(record).can_view(viewer_for(user), record)


def can_edit(user, record: models.Model) -> bool:
    """May `user` change `record` (its content; sharing goes through `can_change_sharing`)?"""
    viewer = viewer_for(user)
    return viewer.is_signed_in and policy_for(record).can_change(viewer, record)


def can_delete(user, record: models.Model) -> bool:
    viewer = viewer_for(user)
    return viewer.is_signed_in and policy_for(record).can_delete(viewer, record)


def can_create(user, model: type[models.Model], organization=None) -> bool:
    """May `user` create a record of `model` (for `organization`, where records have an owner)?"""
    viewer = viewer_for(user)
    return viewer.is_signed_in and policy_for(model).can_create(viewer, organization)


def can_create_submission(user, organization) -> bool:
    """May `user` create submissions (of any kind) owned by `organization`?"""
    return _submits_for(viewer_for(user), organization)


def can_record_committee_work(user) -> bool:
    """Interactions, events, agreements and demarches are recorded by Committee experts and administrators."""
    return _keeps_committee_records(viewer_for(user))


def can_change_sharing(user, record: Submission) -> bool:
    """Only a focal point of the owner organization, or an administrator, changes state and audience."""
    return _submission_policy(record).can_reshare(viewer_for(user), record)


def can_see_sharing_details(user, record: Submission) -> bool:
    return _submission_policy(record).can_see_sharing_details(viewer_for(user), record)


def who_can_view(record: Submission) -> Reach:
    return _submission_policy(record).reach(record)


def in_reach(user, record: Submission, reach: Reach) -> bool:
    """Would `user` have seen `record` when its state and audience gave `reach` (`reach_of` its fields then)?"""
    return _submission_policy(record).in_reach(viewer_for(user), reach)


def why_visible(user, record: Submission) -> str:
    return _submission_policy(record).why_visible(viewer_for(user), record)


# --- the audit of sharing changes ---------------------------------------------------------------------------


def register_audit_policy() -> None:
    # The audit of a record's sharing: its owner organization, the Committee and administrators.
    register(OwnOrganizationRowsPolicy(SharingAudit))
