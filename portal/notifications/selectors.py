"""Reading a user's notifications: only delivered ones whose record the user may still see."""

from django.db.models import QuerySet

from confidentiality import policies
from portal.notifications.models import Notification


def notification_list_for(*, actor) -> QuerySet[Notification]:
    if not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    # Digests are e-mails about no single record; the in-app list shows record notifications only.
    return Notification.objects.filter(recipient_id=actor.pk, delivered_at__isnull=False, cancelled=False).exclude(
        kind=Notification.Kind.DIGEST
    )


def notifications_with_records(*, actor, limit: int = 20) -> list[tuple[Notification, object]]:
    """Recent notifications paired with their record, dropping any record the user can no longer see."""
    from django.apps import apps

    notifications = list(notification_list_for(actor=actor)[:limit])
    by_type: dict[str, set[int]] = {}
    for notification in notifications:
        by_type.setdefault(notification.record_type, set()).add(notification.record_id)
    records = {}
    for record_type, ids in by_type.items():
        model = apps.get_model(record_type)
        for record in policies.visible_to(actor, model._default_manager.filter(pk__in=ids)):
            records[(record_type, record.pk)] = record
    return [
        (notification, records[(notification.record_type, notification.record_id)])
        for notification in notifications
        if (notification.record_type, notification.record_id) in records
    ]
