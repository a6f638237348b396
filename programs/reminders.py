"""Reminders about programs, written to the notifications outbox (services: they write, idempotently)."""

from __future__ import annotations

from django.utils import timezone

from portal.accounts.models import Role, User
from portal.notifications.models import Notification
from portal.notifications.services import notifications_deliver_pending, notifications_write_once
from programs.models import Program
from programs.selectors import stale_program_filter


def stale_program_reminders(*, today=None) -> int:
    """In-app rows for an organization's focal points: its stale programs (`programs.selectors`); monthly."""
    today = today or timezone.localdate()
    stale = Program.objects.filter(stale_program_filter(today=today)).values_list("pk", "organization_id")
    focal_points: dict[int, list[int]] = {}
    for user_id, organization_id in User.objects.filter(
        is_active=True, role=Role.FOCAL_POINT, membership__isnull=False
    ).values_list("pk", "membership__organization_id"):
        focal_points.setdefault(organization_id, []).append(user_id)
    key = today.strftime("%Y-%m")
    notifications_write_once(
        [
            Notification(
                recipient_id=user_id,
                kind=Notification.Kind.STALE_PROGRAM,
                record_type=Program._meta.label_lower,
                record_id=program_id,
                idempotency_key=key,
            )
            for program_id, organization_id in stale
            for user_id in focal_points.get(organization_id, ())
        ]
    )
    return notifications_deliver_pending(kind=Notification.Kind.STALE_PROGRAM)
