"""Delivering the outbox and the weekly digest. Every task takes ids or nothing and is idempotent.

The periodic ones (here, and the reminders in `programs.tasks` and `contacts.tasks`) run from the beat
schedule in `portal.settings.base` (`CELERY_BEAT_SCHEDULE`).
"""

import logging

from celery import shared_task

from portal.notifications import services

logger = logging.getLogger(__name__)


@shared_task(name="notifications.deliver", acks_late=True)
def notifications_deliver(notification_ids: list[int]) -> dict[str, int]:
    """Deliver outbox rows; one that fails (the mail server is down) stays in the outbox for the sweep."""
    outcome: dict[str, int] = {}
    for notification_id in notification_ids:
        try:
            result = services.notification_deliver(notification_id=notification_id)
        except Exception:
            logger.warning("Could not deliver notification %s; the sweep will retry", notification_id, exc_info=True)
            result = "failed"
        outcome[result] = outcome.get(result, 0) + 1
    return outcome


@shared_task(name="notifications.sweep")
def notifications_sweep(older_than_seconds: int = 60) -> int:
    """Deliver what was left in the outbox (the broker or the worker was down when it was written)."""
    ids = services.notifications_pending_ids(older_than_seconds=older_than_seconds)
    if ids:
        notifications_deliver(ids)
    return len(ids)


@shared_task(name="notifications.weekly_digest")
def notifications_weekly_digest() -> int:
    return services.notifications_weekly_digest()
