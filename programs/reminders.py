"""Reminders about programs, written to the notifications outbox (services: they write, idempotently)."""

from __future__ import annotations

from django.utils import timezone

from portal.accounts.models import Role, User
from portal.notifications.models import Notification
from portal.notifications.services import notifications_remind
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
    month = today.strftime("%Y-%m")
    return notifications_remind(
        kind=Notification.Kind.STALE_PROGRAM,
        model=Program,
        reminders=[
            (program_id, user_id, month)
            for program_id, organization_id in stale
            for user_id in focal_points.get(organization_id, ())
        ],
    )
