from celery import shared_task

from portal.notifications import services


@shared_task(name="notifications.deliver", acks_late=True)
def notifications_deliver(notification_ids: list[int]) -> dict[str, int]:
    outcome: dict[str, int] = {}
    for notification_id in notification_ids:
        result = services.notification_deliver(notification_id=notification_id)
        outcome[result] = outcome.get(result, 0) + 1
    return outcome


@shared_task(name="notifications.sweep")
def notifications_sweep(older_than_seconds: int = 60) -> int:
    """Deliver what was left in the outbox (the broker or the worker was down when it was written)."""
    ids = services.notifications_pending_ids(older_than_seconds=older_than_seconds)
    if ids:
        notifications_deliver(ids)
    return len(ids)
