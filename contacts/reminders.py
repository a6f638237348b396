"""Reminders about demarches, written to the notifications outbox (services: they write, idempotently)."""

from __future__ import annotations

from django.utils import timezone

from contacts.models import Demarche
from portal.accounts.models import Role, User
from portal.notifications.models import Notification
from portal.notifications.services import notifications_remind


def demarche_follow_up_reminders(*, today=None) -> int:
    """In-app rows for Committee experts: unanswered demarches whose follow-up is due; once per demarche and due
    date (a new due date reminds again)."""
    today = today or timezone.localdate()
    due = Demarche.objects.filter(follow_up_due__lte=today, answered_on__isnull=True).values_list("pk", "follow_up_due")
    experts = list(User.objects.filter(is_active=True, role=Role.COMMITTEE).values_list("pk", flat=True))
    return notifications_remind(
        kind=Notification.Kind.FOLLOW_UP_DUE,
        model=Demarche,
        reminders=[(demarche_id, expert, due_on.isoformat()) for demarche_id, due_on in due for expert in experts],
    )
