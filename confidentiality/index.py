"""The grant index: django-guardian group-permission rows that say which groups may view which submission.

The records' own fields are the truth; `confidentiality.services` writes these rows from them and the
submission policy reads them with one `EXISTS` on the grant table's unique index (group, permission, record).
This module holds what both sides share: the cached group and permission ids, the grant table of a model,
the `EXISTS` itself and the count read from the index alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.sql.where import AND

from confidentiality.models import GrantBase, Submission

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


def view_group_ids(record: Submission) -> set[int]:
    """The groups whose members may view `record`, as the index says now."""
    model = type(record)
    return set(
        grant_model_for(model)
        .objects.filter(content_object_id=record.pk, permission_id=permission_id(model, "view"))
        .values_list("group_id", flat=True)
    )


def grants_exist(model: type[Submission], group_ids: tuple[int, ...], outer: str = "pk") -> Exists:
    """`EXISTS` a view grant of `model` for one of `group_ids` on the record `outer` names."""
    grants = grant_model_for(model).objects.filter(
        content_object_id=OuterRef(outer),
        permission_id=permission_id(model, "view"),
        group_id__in=group_ids,
    )
    return Exists(grants)


class VisibleQuerySet(QuerySet):
    """What a submission policy returns for a non-administrator's unfiltered queryset.

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
    condition: object  # the WHERE child the policy added; identity marks an otherwise unfiltered query
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


def filter_by_grants(queryset: QuerySet, group_ids: tuple[int, ...]) -> QuerySet:
    """The records of `queryset` one of `group_ids` may view; counted from the index when nothing else filters."""
    model = queryset.model
    filtered = queryset.filter(grants_exist(model, group_ids))
    where = filtered.query.where
    if type(filtered) is QuerySet and where.connector == AND and len(where.children) == 1:
        # The visibility condition is the only one: counts may come from the grant index (see VisibleQuerySet).
        filtered.query._portal_grant_count = _GrantCount(
            condition=where.children[0],
            grant_model=grant_model_for(model),
            permission_id=permission_id(model, "view"),
            group_ids=group_ids,
        )
        filtered.__class__ = VisibleQuerySet
    return filtered
