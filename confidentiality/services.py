"""The one write path for sharing: submit, withdraw to draft, change the audience — and the grant index.

Each change is one transaction that validates, updates the record, rewrites its grants, appends an audit entry
and writes notification rows (an outbox) whose delivery is queued on commit. `grants_rebuild` rewrites the index
in bulk for seeding and `check_grants --fix`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confidentiality import index, policies
from confidentiality.groups import ALL_IROS_GROUP, PUBLIC_GROUP, organization_group_name
from confidentiality.models import Audience, SharingAudit, State, Submission
from confidentiality.signals import sharing_changed
from iros.models import Organization

OWNER_ACTIONS = ("view", "change", "delete")


def organization_group_ensure(organization) -> Group:
    """The auth Group indexing what `organization`'s members may see (created once, idempotent)."""
    if organization.group_id is not None:
        return organization.group
    group, _created = Group.objects.get_or_create(name=organization_group_name(organization.acronym))
    type(organization).objects.filter(pk=organization.pk).update(group=group)
    organization.group = group
    return group


def _organizations_by_key(keys: Iterable) -> list:
    """Organizations from instances, ids or acronyms; unknown keys are a validation error on `shared_with`."""
    keys = list(keys)
    instances = [key for key in keys if isinstance(key, Organization)]
    ids = {key for key in keys if isinstance(key, int)}
    acronyms = {key for key in keys if isinstance(key, str)}
    found = {org.pk: org for org in instances}
    if ids or acronyms:
        for org in Organization.objects.filter(pk__in=ids) | Organization.objects.filter(acronym__in=acronyms):
            found[org.pk] = org
    missing = (ids - set(found)) | (acronyms - {org.acronym for org in found.values()})
    if missing:
        raise ValidationError(
            {"shared_with": _("Unknown organizations: %(keys)s.") % {"keys": ", ".join(sorted(map(str, missing)))}}
        )
    return sorted(found.values(), key=lambda org: org.acronym)


def sharing_validate(*, organization_id: int, audience: str, shared_with: list) -> None:
    """`shared_with` is non-empty exactly when the audience is `selected`, and never holds the owner."""
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Unknown audience “%(value)s”.") % {"value": audience}})
    if audience == Audience.SELECTED and not shared_with:
        raise ValidationError({"shared_with": _("Choose at least one organization to share with.")})
    if audience != Audience.SELECTED and shared_with:
        raise ValidationError({"shared_with": _("Organizations can be chosen only for the 'selected' audience.")})
    if any(org.pk == organization_id for org in shared_with):
        raise ValidationError({"shared_with": _("The owner organization always sees its records; do not select it.")})


def grants_write(record: Submission, *, shared_with: list | None = None) -> set[int]:
    """Rewrite one record's grants from its own fields; returns the groups that may now view it.

    `shared_with`, when the caller already holds the record's selected organizations, saves re-reading them.
    """
    model = type(record)
    grant_model = index.grant_model_for(model)
    owner_group_id = organization_group_ensure(record.organization).pk
    rows = {(owner_group_id, index.permission_id(model, action)) for action in OWNER_ACTIONS}
    view_groups = {owner_group_id}
    if record.state == State.SUBMITTED:
        if record.audience == Audience.SELECTED:
            selected = record.shared_with.all() if shared_with is None else shared_with
            view_groups |= {org.group_id or organization_group_ensure(org).pk for org in selected}
        elif record.audience == Audience.ALL_IROS:
            view_groups.add(index.shared_group_id(ALL_IROS_GROUP))
        elif record.audience == Audience.PUBLIC:
            view_groups.add(index.shared_group_id(PUBLIC_GROUP))
    view = index.permission_id(model, "view")
    rows |= {(group_id, view) for group_id in view_groups}
    grant_model.objects.filter(content_object_id=record.pk).delete()
    grant_model.objects.bulk_create(
        grant_model(group_id=group_id, permission_id=permission, content_object_id=record.pk)
        for group_id, permission in rows
    )
    return view_groups


def _update_or_explain(model, pk: int, **values) -> None:
    """Update the row; a named database constraint it breaks becomes that constraint's own ValidationError.

    Submitting can break a model's constraints (one active point of contact per role): the caller gets the
    constraint's message rather than a database error.
    """
    try:
        with transaction.atomic():
            model.objects.filter(pk=pk).update(**values)
    except IntegrityError as error:
        for constraint in model._meta.constraints:
            if constraint.name in str(error):
                raise ValidationError({NON_FIELD_ERRORS: [constraint.get_violation_error_message()]}) from None
        raise


@transaction.atomic
def submission_change_sharing(
    *,
    actor,
    record: Submission,
    state: str | None = None,
    audience: str | None = None,
    shared_with: Iterable | None = None,
) -> Submission:
    """Change a submission's state and/or audience: validate, update, re-index, audit, notify — atomically.

    Only a focal point of the owner organization or an administrator may; anyone else gets PermissionDenied
    and nothing changes. A call that changes nothing writes nothing.
    """
    model = type(record)
    # `of=("self",)`: lock the record only; the owner organization and its group come along for reading.
    locked = model.objects.select_for_update(of=("self",)).select_related("organization__group").get(pk=record.pk)
    if not policies.can_change_sharing(actor, locked):
        raise PermissionDenied(_("Only a focal point of the owner organization may change who sees this record."))
    if state is not None and state not in State.values:
        raise ValidationError({"state": _("Unknown state “%(value)s”.") % {"value": state}})

    old_state, old_audience = locked.state, locked.audience
    old_shared = sorted(locked.shared_with.all(), key=lambda org: org.acronym)
    new_state = state or old_state
    new_audience = audience or old_audience
    if shared_with is not None:
        new_shared = _organizations_by_key(shared_with)
    else:
        new_shared = old_shared if new_audience == Audience.SELECTED else []
    sharing_validate(organization_id=locked.organization_id, audience=new_audience, shared_with=new_shared)

    old_acronyms = [org.acronym for org in old_shared]
    new_acronyms = [org.acronym for org in new_shared]
    if (new_state, new_audience, new_acronyms) == (old_state, old_audience, old_acronyms):
        return locked

    before = index.view_group_ids(locked)
    # Order matters for the database guards: shared rows exist only while the audience is `selected`.
    if new_audience != Audience.SELECTED:
        locked.shared_with.clear()
    _update_or_explain(model, locked.pk, state=new_state, audience=new_audience, updated=timezone.now())
    locked.state, locked.audience = new_state, new_audience
    if new_audience == Audience.SELECTED:
        locked.shared_with.set(new_shared)
    after = grants_write(locked, shared_with=new_shared)

    if new_state != old_state:
        action = SharingAudit.Action.SUBMIT if new_state == State.SUBMITTED else SharingAudit.Action.WITHDRAW
    else:
        action = SharingAudit.Action.CHANGE_AUDIENCE
    SharingAudit.objects.create(
        record_type=model._meta.label_lower,
        record_id=locked.pk,
        organization_id=locked.organization_id,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        old_state=old_state,
        new_state=new_state,
        old_audience=old_audience,
        new_audience=new_audience,
        old_shared_with=old_acronyms,
        new_shared_with=new_acronyms,
    )

    newly_visible = after - before
    if before & {index.shared_group_id(ALL_IROS_GROUP), index.shared_group_id(PUBLIC_GROUP)}:
        # Every IRO member could already see it (e.g. all IROs → selected): nobody newly gained access.
        newly_visible = set()
    sharing_changed.send(
        sender=model,
        record=locked,
        newly_visible_group_ids=newly_visible,
        newly_submitted=old_state != State.SUBMITTED and new_state == State.SUBMITTED,
    )
    return locked


def submission_submit(*, actor, record: Submission) -> Submission:
    return submission_change_sharing(actor=actor, record=record, state=State.SUBMITTED)


def submission_withdraw(*, actor, record: Submission) -> Submission:
    return submission_change_sharing(actor=actor, record=record, state=State.DRAFT)


def submission_set_audience(*, actor, record: Submission, audience: str, shared_with: Iterable = ()) -> Submission:
    return submission_change_sharing(actor=actor, record=record, audience=audience, shared_with=list(shared_with))


# --- the index in bulk --------------------------------------------------------------------------------------


def _expected_grants_sql(model: type[Submission], ids: list[int] | None) -> tuple[str, list]:
    """SQL selecting (group_id, permission_id, content_object_id) for every grant the records should have."""
    table = model._meta.db_table
    shared_field = model._meta.get_field("shared_with")
    through = shared_field.remote_field.through._meta.db_table
    record_column = shared_field.m2m_column_name()
    organization_column = shared_field.m2m_reverse_name()
    view, change, delete = (index.permission_id(model, action) for action in OWNER_ACTIONS)
    all_iros, public = index.shared_group_id(ALL_IROS_GROUP), index.shared_group_id(PUBLIC_GROUP)
    branches = [
        (
            f"SELECT o.group_id, p.id, r.id FROM {table} r JOIN iros_organization o ON o.id = r.organization_id"
            " CROSS JOIN (VALUES (%s), (%s), (%s)) AS p(id) WHERE o.group_id IS NOT NULL",
            [view, change, delete],
        ),
        (
            f"SELECT o.group_id, %s, r.id FROM {table} r JOIN {through} s ON s.{record_column} = r.id"
            f" JOIN iros_organization o ON o.id = s.{organization_column}"
            " WHERE r.state = 'submitted' AND r.audience = 'selected' AND o.group_id IS NOT NULL",
            [view],
        ),
        (
            f"SELECT %s, %s, r.id FROM {table} r WHERE r.state = 'submitted' AND r.audience = 'all_iros'",
            [all_iros, view],
        ),
        (f"SELECT %s, %s, r.id FROM {table} r WHERE r.state = 'submitted' AND r.audience = 'public'", [public, view]),
    ]
    parts, params = [], []
    for sql, branch_params in branches:
        if ids is not None:
            sql, branch_params = f"{sql} AND r.id = ANY(%s)", [*branch_params, ids]
        parts.append(sql)
        params.extend(branch_params)
    return " UNION ALL ".join(parts), params


@transaction.atomic
def grants_rebuild(model: type[Submission], *, queryset=None) -> int:
    """Rewrite the grant index of `model` (every record, or those of `queryset`) from the records' own fields."""
    for organization in Organization.objects.filter(group__isnull=True):
        organization_group_ensure(organization)
    grant_table = index.grant_model_for(model)._meta.db_table
    ids = None if queryset is None else list(queryset.values_list("pk", flat=True))
    sql, params = _expected_grants_sql(model, ids)
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f"DELETE FROM {grant_table}")
        else:
            cursor.execute(f"DELETE FROM {grant_table} WHERE content_object_id = ANY(%s)", [ids])
        cursor.execute(
            f"INSERT INTO {grant_table} (group_id, permission_id, content_object_id) {sql}",
            params,
        )
        return cursor.rowcount


def grants_mismatches(model: type[Submission]) -> list[int]:
    """Ids of records whose grants differ from what their state, audience and shared_with call for."""
    grant_table = index.grant_model_for(model)._meta.db_table
    sql, params = _expected_grants_sql(model, None)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH expected (group_id, permission_id, content_object_id) AS ({sql}),
                 actual AS (SELECT group_id, permission_id, content_object_id FROM {grant_table})
            SELECT DISTINCT content_object_id FROM (
                (SELECT * FROM expected EXCEPT SELECT * FROM actual)
                UNION ALL
                (SELECT * FROM actual EXCEPT SELECT * FROM expected)
            ) AS difference ORDER BY 1
            """,
            params,
        )
        return [row[0] for row in cursor.fetchall()]


def submission_models() -> list[type[Submission]]:
    return [model for model in apps.get_models() if issubclass(model, Submission)]
