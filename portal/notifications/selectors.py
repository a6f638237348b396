"""Reading a user's notifications: delivered ones about records the user may still see.

One list for every surface (the dashboard's panel and `GET /api/v1/notifications/`), whatever kind of record a
notification names: each record kind is checked through its own policy in the registry.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet

from confidentiality import policies
from portal.notifications.models import Notification


def _still_visible(actor, record_types) -> Q:
    """Notifications whose record `actor` may still see (an audience may have narrowed since)."""
    condition = Q(pk__in=[])
    for record_type in record_types:
        model = apps.get_model(record_type)
        visible = policies.visible_to(actor, model._default_manager.filter(pk=OuterRef("record_id")))
        condition |= Q(Exists(visible), record_type=record_type)
    return condition


def notification_list_for(*, actor) -> QuerySet[Notification]:
    """`actor`'s delivered notifications about records it may still see, newest first."""
    # Digests are e-mails about no single record; the in-app list shows record notifications only.
    mine = (
        policies.visible_to(actor, Notification.objects.all())
        .filter(delivered_at__isnull=False, cancelled=False)
        .exclude(kind=Notification.Kind.DIGEST)
    )
    record_types = mine.order_by().values_list("record_type", flat=True).distinct()
    return mine.filter(_still_visible(actor, list(record_types))).order_by("-created", "-id")


def notifications_with_records(*, actor, limit: int = 20) -> list[tuple[Notification, object]]:
    """Recent notifications paired with their record (read through its policy): for pages that show them."""
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
