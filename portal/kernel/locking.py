"""The one way a service takes the row it changes: lock it, then decide on what is locked (NetBox, Zulip).

A permission checked on the caller's copy of a record can be stale by the time the service writes: the record
may have moved to another organization, or the actor may have lost a role, between the read and the write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

Record = TypeVar("Record", bound=models.Model)


def _actor_locked(actor):
    """The actor read again, its row locked; None when it was deleted meanwhile (then it may do nothing)."""
    if getattr(actor, "pk", None) is None:
        return actor  # anonymous: nothing to read again
    # FOR NO KEY UPDATE: a concurrent change of the role waits, rows that merely point to the user do not.
    users = get_user_model()._default_manager.select_for_update(no_key=True, of=("self",))
    try:
        return users.get(pk=actor.pk)
    except users.model.DoesNotExist:
        return None


def lock_for_update(
    record: Record,
    *,
    actor,
    allowed: Callable[[Any, Record], bool],
    message: str,
    related: Sequence[str] = (),
) -> Record:
    """`record` read again under a row lock, once `allowed(actor, locked record)` holds; else PermissionDenied.

    Call it inside the service's transaction, before any write. The actor's row is locked first and read again
    (a user object caches its role), then the record's row with the rows in `related` that the rule reads (a
    document's program). A concurrent change of those rows either committed before and is seen here, or waits
    for this transaction. (The actor's membership is read afresh by the rule but not locked: a move to another
    organization is seen once committed.) A record deleted meanwhile answers Http404, as the caller's read would
    have a moment later.
    """
    current_actor = _actor_locked(actor)
    model = type(record)
    try:
        locked = (
            model._default_manager.select_related(*related).select_for_update(of=("self", *related)).get(pk=record.pk)
        )
    except model.DoesNotExist:
        raise Http404 from None
    if not allowed(current_actor, locked):
        raise PermissionDenied(message)
    return locked
