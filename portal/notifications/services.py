"""Writing and delivering notifications. Rows are written in the caller's transaction (an outbox)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confidentiality import policies
from portal.accounts.models import Role, User
from portal.notifications.models import Notification
from portal.queue import enqueue_on_commit


def _record_model(record_type: str):
    from django.apps import apps

    return apps.get_model(record_type)


def notifications_for_sharing(*, record, newly_visible_group_ids: set[int], newly_submitted: bool) -> list[int]:
    """Outbox rows for a record that became visible to organizations (and, when new, to the Committee).

    Members of a newly granted organization get an in-app notification; for `selected` grants its focal
    points also get an e-mail carrying a link. `all_iros` and `public` grants go into the weekly digest,
    never a mass e-mail, so they write no rows here.
    """
    from confidentiality.models import Audience

    record_type = record._meta.label_lower
    rows = []
    members = (
        User.objects.filter(
            is_active=True,
            membership__organization__group_id__in=newly_visible_group_ids,
            role__in=[Role.FOCAL_POINT, Role.MEMBER],
        )
        .exclude(membership__organization_id=record.organization_id)
        .only("pk", "role")
    )
    for user in members:
        rows.append(
            Notification(
                recipient=user,
                kind=Notification.Kind.SHARED,
                record_type=record_type,
                record_id=record.pk,
                send_email=record.audience == Audience.SELECTED and user.role == Role.FOCAL_POINT,
            )
        )
    if newly_submitted:
        for user in User.objects.filter(is_active=True, role=Role.COMMITTEE).only("pk"):
            rows.append(
                Notification(
                    recipient=user, kind=Notification.Kind.NEW_SUBMISSION, record_type=record_type, record_id=record.pk
                )
            )
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    if ids:
        from portal.notifications.tasks import notifications_deliver

        enqueue_on_commit(notifications_deliver, ids)
    return ids


def record_url(record_type: str, record_id: int) -> str:
    paths = {"programs.program": f"/programs/{record_id}/", "contacts.pointofcontact": "/contacts/"}
    return settings.PORTAL_BASE_URL.rstrip("/") + paths.get(record_type, "/")


def notification_deliver(*, notification_id: int) -> str:
    """Deliver one outbox row at most once; re-check visibility first. Returns what happened."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, delivered_at__isnull=True)
            .first()
        )
        if notification is None:
            return "already delivered"
        model = _record_model(notification.record_type)
        visible = policies.visible_to(
            notification.recipient, model._default_manager.filter(pk=notification.record_id)
        ).exists()
        now = timezone.now()
        if not visible:
            notification.cancelled = True
            notification.delivered_at = now
            notification.save(update_fields=["cancelled", "delivered_at"])
            return "cancelled"
        if notification.send_email and notification.emailed_at is None and notification.recipient.email:
            # The e-mail carries a link, never the record's content.
            send_mail(
                subject=_("[1540 IRO Portal] A record was shared with your organization"),
                message=_(
                    "A record was shared with your organization on the 1540 IRO Coordination Portal.\n\n"
                    "Sign in to read it: %(url)s\n"
                )
                % {"url": record_url(notification.record_type, notification.record_id)},
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )
            notification.emailed_at = now
        notification.delivered_at = now
        notification.save(update_fields=["emailed_at", "delivered_at"])
        return "delivered"


def notifications_pending_ids(*, older_than_seconds: int = 60, limit: int = 1000) -> list[int]:
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(delivered_at__isnull=True, created__lte=cutoff)
        .order_by("created")
        .values_list("pk", flat=True)[:limit]
    )


def notification_mark_read(*, actor, notification_id: int) -> Notification:
    from django.http import Http404

    notification = Notification.objects.filter(pk=notification_id, recipient_id=actor.pk).first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
