"""The one visibility policy: who may see and change which records.

Every list, detail, search, export, count, chart, related panel, API field, notification and task asks this
module. It is the only code (with `confidentiality.services`, which writes the index) that touches
django-guardian's grant tables, and the only place a visibility rule is written.

How it works: the Committee and administrators are explicit roles decided before any SQL. Everyone else is
reduced to a short list of auth Group ids worked out in code (an IRO member: its organization's group, the
"all IRO members" group and the "public" group; anyone else: the "public" group), so a submission's visibility
is one `EXISTS` on its grant table's unique index (group, permission, record) — no OR, no union, and no
membership rows for the two shared groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.sql.where import AND
from django.http import Http404

from confidentiality.groups import ALL_IROS_GROUP, PUBLIC_GROUP
from confidentiality.models import Audience, GrantBase, State, Submission

# --- caches -------------------------------------------------------------------------------------------------
# Group and permission ids never change while the schema lives; a flush (tests) recreates them, so the
# post_migrate hook in apps.py clears these caches.
_shared_group_ids: dict[str, int] = {}
_permission_ids: dict[tuple[str, str], int] = {}


def reset_caches() -> None:
    _shared_group_ids.clear()
    _permission_ids.clear()


def shared_group_id(name: str) -> int:
    if name not in _shared_group_ids:
        _shared_group_ids[name] = Group.objects.get_or_create(name=name)[0].pk
    return _shared_group_ids[name]


def permission_id(model: type[models.Model], action: str) -> int:
    key = (model._meta.label_lower, action)
    if key not in _permission_ids:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
        _permission_ids[key] = Permission.objects.get(
            content_type=content_type, codename=f"{action}_{model._meta.model_name}"
        ).pk
    return _permission_ids[key]


def grant_model_for(model: type[Submission]) -> type[GrantBase]:
    """The grant table declared next to a submission model (its `content_object` points to the model)."""
    for relation in model._meta.related_objects:
        related = relation.related_model
        if issubclass(related, GrantBase) and relation.field.name == "content_object":
            return related
    raise LookupError(f"{model._meta.label} declares no grant table")


# --- who is asking ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """What the policy needs to know about the acting user, worked out once per user object."""

    user_id: int | None = None
    is_admin: bool = False
    is_committee: bool = False
    is_focal_point: bool = False
    organization_id: int | None = None
    organization_acronym: str | None = None
    organization_group_id: int | None = None
    group_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def is_signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def is_iro_user(self) -> bool:
        return self.organization_id is not None


def viewer_for(user) -> Viewer:
    """The viewer behind a user; inactive users are anonymous. Cached on the user object (one request)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return Viewer(group_ids=(shared_group_id(PUBLIC_GROUP),))
    cached = getattr(user, "_portal_viewer", None)
    if cached is not None:
        return cached
    from portal.accounts.models import ORGANIZATION_ROLES, Role

    is_admin = user.role == Role.ADMIN or user.is_superuser
    is_committee = user.role == Role.COMMITTEE
    organization_id = organization_group_id = organization_acronym = None
    group_ids: tuple[int, ...] = (shared_group_id(PUBLIC_GROUP),)
    if user.role in ORGANIZATION_ROLES:
        from iros.models import Membership

        # One row at most (one-to-one); ordering by pk keeps the default ordering's join to the user out.
        membership = Membership.objects.filter(user_id=user.pk).select_related("organization").order_by("pk").first()
        if membership is not None:
            organization_id = membership.organization_id
            organization_acronym = membership.organization.acronym
            organization_group_id = membership.organization.group_id
            group_ids = tuple(
                group_id
                for group_id in (organization_group_id, shared_group_id(ALL_IROS_GROUP), shared_group_id(PUBLIC_GROUP))
                if group_id is not None
            )
    viewer = Viewer(
        user_id=user.pk,
        is_admin=is_admin,
        is_committee=is_committee,
        is_focal_point=user.role == Role.FOCAL_POINT and organization_id is not None,
        organization_id=organization_id,
        organization_acronym=organization_acronym,
        organization_group_id=organization_group_id,
        group_ids=group_ids,
    )
    user._portal_viewer = viewer
    return viewer


def organization_id_of(user) -> int | None:
    return viewer_for(user).organization_id


# --- which records may this user see ------------------------------------------------------------------------


def _submission_exists(viewer: Viewer, model: type[Submission], outer: str = "pk") -> Exists:
    grants = grant_model_for(model).objects.filter(
        content_object_id=OuterRef(outer),
        permission_id=permission_id(model, "view"),
        group_id__in=viewer.group_ids,
    )
    return Exists(grants)


class VisibleQuerySet(QuerySet):
    """What `visible_to` returns for a non-administrator's unfiltered submission queryset.

    Rows and SQL are those of a plain queryset; only `count()` differs while the visibility `EXISTS` is the
    queryset's one and only condition: it then counts the distinct records in the grant index itself
    (`COUNT(DISTINCT content_object_id)` over the viewer's view rows, an index-only scan of the unique index)
    instead of semi-joining every record against the grants. Both numbers are equal because every grant row
    points to an existing record (a NOT NULL foreign key whose rows the record's deletion removes). Any further
    filter, exclusion, OR-combination, slice, DISTINCT, annotation or extra() makes `count()` the ordinary one.
    """

    def count(self) -> int:
        if self._result_cache is None:
            counted = _grant_count(self)
            if counted is not None:
                return counted
        return super().count()


@dataclass(frozen=True, eq=False)
class _GrantCount:
    condition: object  # the WHERE child `visible_to` added; identity marks an otherwise unfiltered query
    grant_model: type[GrantBase]
    permission_id: int
    group_ids: tuple[int, ...]


def _grant_count(queryset: QuerySet) -> int | None:
    """The visible count read from the grant index alone, or None when the queryset has other conditions."""
    query = queryset.query
    marker = getattr(query, "_portal_grant_count", None)
    if marker is None:
        return None
    where = query.where
    if (
        where.connector != AND
        or where.negated
        or len(where.children) != 1
        or where.children[0] is not marker.condition
        or query.is_sliced
        or query.distinct
        or query.combinator
        or query.group_by is not None
        or query.annotations
        or query.extra
        or query.extra_tables
    ):
        return None
    grants = marker.grant_model._default_manager.using(queryset.db).filter(
        group_id__in=marker.group_ids, permission_id=marker.permission_id
    )
    return grants.aggregate(n=Count("content_object_id", distinct=True))["n"]


def _submission_filter(viewer: Viewer, model: type[Submission], queryset: QuerySet, prefix: str = "") -> QuerySet:
    if viewer.is_admin:
        return queryset
    if viewer.is_committee:
        return queryset.filter(**{f"{prefix}state": State.SUBMITTED})
    outer = f"{prefix}pk" if prefix else "pk"
    filtered = queryset.filter(_submission_exists(viewer, model, outer))
    where = filtered.query.where
    if not prefix and type(filtered) is QuerySet and where.connector == AND and len(where.children) == 1:
        # The visibility condition is the only one: counts may come from the grant index (see VisibleQuerySet).
        filtered.query._portal_grant_count = _GrantCount(
            condition=where.children[0],
            grant_model=grant_model_for(model),
            permission_id=permission_id(model, "view"),
            group_ids=viewer.group_ids,
        )
        filtered.__class__ = VisibleQuerySet
    return filtered


def _involved_filter(viewer: Viewer, queryset: QuerySet, organization_lookup: str, public_lookup: str | None):
    """Committee, administrators and the organizations involved; `public` rows for everyone."""
    if viewer.is_admin or viewer.is_committee:
        return queryset
    condition = Q(pk__in=[])
    if public_lookup:
        condition |= Q(**{public_lookup: True})
    if viewer.organization_id is not None:
        # A subquery rather than a join keeps one row per record (no DISTINCT needed for counts).
        involved = queryset.model.objects.filter(**{organization_lookup: viewer.organization_id}).values("pk")
        condition |= Q(pk__in=involved)
    return queryset.filter(condition)


def visible_to(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` that `user` may see. Fails closed for a model it does not know."""
    viewer = viewer_for(user)
    model = queryset.model
    from contacts.models import Demarche, RegionalCoordinator
    from iros.models import Agreement, Event, Interaction, Membership, Organization, Region, ThematicArea
    from programs.models import Document, Program, ProgramPartner, Tag

    if issubclass(model, Submission):
        return _submission_filter(viewer, model, queryset)
    if model in (Document, ProgramPartner):
        # Documents and partnerships inherit their program's audience.
        if viewer.is_admin:
            return queryset
        if viewer.is_committee:
            return queryset.filter(program__state=State.SUBMITTED)
        return queryset.filter(_submission_exists(viewer, Program, "program_id"))
    if model is Interaction:
        return _involved_filter(viewer, queryset, "organizations", "public")
    if model is Agreement:
        return _involved_filter(viewer, queryset, "parties", None)
    if model is Demarche:
        return _involved_filter(viewer, queryset, "organization", None)
    if model is Membership:
        if viewer.is_admin or viewer.is_committee:
            return queryset
        return queryset.filter(organization_id=viewer.organization_id) if viewer.is_iro_user else queryset.none()
    if model in (Organization, Region, ThematicArea, RegionalCoordinator, Event, Tag):
        return queryset
    raise LookupError(f"No visibility rule for {model._meta.label}")


def get_visible_or_404(user, queryset: QuerySet, **lookup):
    """The record if `user` may see it; Http404 for missing and hidden alike."""
    try:
        return visible_to(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_view(user, record: models.Model) -> bool:
    return visible_to(user, type(record)._default_manager.filter(pk=record.pk)).exists()


def can_edit(user, record: models.Model) -> bool:
    """May `user` change `record` (its content; sharing goes through `can_change_sharing`)?"""
    viewer = viewer_for(user)
    if not viewer.is_signed_in:
        return False
    if viewer.is_admin:
        return True
    from contacts.models import Demarche, RegionalCoordinator
    from iros.models import Agreement, Event, Interaction, Organization
    from programs.models import Document

    if isinstance(record, Submission):
        return viewer.is_focal_point and record.organization_id == viewer.organization_id
    if isinstance(record, Document):
        return can_edit(user, record.program)
    if isinstance(record, Organization):
        return viewer.is_focal_point and record.pk == viewer.organization_id
    if isinstance(record, Interaction | Demarche | Agreement | Event | RegionalCoordinator):
        return viewer.is_committee
    return False


def can_delete(user, record: models.Model) -> bool:
    return can_edit(user, record)


def can_change_sharing(user, record: Submission) -> bool:
    """Only a focal point of the owner organization, or an administrator, changes state and audience."""
    viewer = viewer_for(user)
    return viewer.is_admin or (viewer.is_focal_point and record.organization_id == viewer.organization_id)


def can_create_submission(user, organization) -> bool:
    viewer = viewer_for(user)
    return viewer.is_admin or (viewer.is_focal_point and organization.pk == viewer.organization_id)


def can_see_sharing_details(user, record: Submission) -> bool:
    """`shared_with` and the audit: the owner organization, the Committee and administrators."""
    viewer = viewer_for(user)
    if viewer.is_admin or viewer.is_committee:
        return True
    return viewer.organization_id is not None and viewer.organization_id == record.organization_id


def can_record_committee_work(user) -> bool:
    """Interactions, events and demarches are recorded by Committee experts and administrators."""
    viewer = viewer_for(user)
    return viewer.is_admin or viewer.is_committee


# --- which users may see this record ------------------------------------------------------------------------


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


def who_can_view(record: Submission) -> Reach:
    """Who can see `record` now, read from its grant index (what the read path actually enforces)."""
    model = type(record)
    grants = grant_model_for(model).objects.filter(
        content_object_id=record.pk, permission_id=permission_id(model, "view")
    )
    group_ids = set(grants.values_list("group_id", flat=True))
    from iros.models import Organization

    organization_ids = tuple(
        Organization.objects.filter(group_id__in=group_ids).order_by("acronym").values_list("pk", flat=True)
    )
    return Reach(
        state=record.state,
        audience=record.audience,
        owner_id=record.organization_id,
        organization_ids=organization_ids,
        all_iros=shared_group_id(ALL_IROS_GROUP) in group_ids,
        public=shared_group_id(PUBLIC_GROUP) in group_ids,
    )


def why_visible(user, record: Submission) -> str:
    """A short, translatable reason the viewer can see the record (shown on detail pages)."""
    from django.utils.translation import gettext as _

    viewer = viewer_for(user)
    if viewer.is_admin:
        return _("You are an administrator.")
    if viewer.is_committee:
        return _("Committee experts see every submitted record.")
    if viewer.organization_id == record.organization_id:
        return _("Your organization owns this record.")
    if record.audience == Audience.PUBLIC:
        return _("Its owner made it public.")
    if record.audience == Audience.ALL_IROS:
        return _("Its owner shared it with all IROs.")
    return _("Its owner shared it with your organization.")
