"""Writing and delivering notifications. Rows are written in the caller's transaction (an outbox)."""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from confidentiality import policies
from confidentiality.models import Audience, SharingAudit
from confidentiality.services import submission_models
from iros.models import Organization
from portal.accounts.models import Role, User
from portal.kernel.queue import enqueue_on_commit
from portal.notifications.models import Notification

DELIVER_TASK = "notifications.deliver"
# A digest names no record: its rows use this record type and id 0, keyed by ISO week.
DIGEST_RECORD_TYPE = "notifications.digest"


def notifications_for_sharing(
    *, record, newly_visible_group_ids: set[int], newly_submitted: bool, **_signal
) -> list[int]:
    """Outbox rows for a record that became visible to organizations (and, when new, to the Committee).

    Connected to `confidentiality.signals.sharing_changed`, so it runs in the sharing change's transaction.
    Members of a newly granted organization get an in-app notification; for `selected` grants its focal
    points also get an e-mail carrying a link. `all_iros` and `public` grants go into the weekly digest,
    never a mass e-mail, so they write no rows here.
    """
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
        enqueue_on_commit(DELIVER_TASK, ids)
    return ids


def notifications_for_committee(*, kind: str, record) -> list[int]:
    """In-app outbox rows telling every active Committee expert about `record` (a demarche was answered), in the
    caller's transaction; delivered on commit, which re-checks that each expert may still see the record."""
    created = Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, record_type=record._meta.label_lower, record_id=record.pk)
        for pk in User.objects.filter(is_active=True, role=Role.COMMITTEE).values_list("pk", flat=True)
    )
    ids = [row.pk for row in created]
    if ids:
        enqueue_on_commit(DELIVER_TASK, ids)
    return ids


def record_url(record_type: str, record_id: int) -> str:
    """The absolute link a notification carries: the record's page (built by its model), or the dashboard."""
    if record_type == DIGEST_RECORD_TYPE:
        path = reverse("dashboard:home")
    else:
        # The pages of notified records are addressed by their key alone, so no row needs to be read.
        path = apps.get_model(record_type)(pk=record_id).get_absolute_url()
    return settings.PORTAL_BASE_URL.rstrip("/") + path


DIGEST_DAYS = 7


def _email_for(notification: Notification, *, newly_visible: int) -> tuple[str, str] | None:
    """(subject, body) of the e-mail a notification sends, or None. A link, never the record's content."""
    url = record_url(notification.record_type, notification.record_id)
    if notification.kind == Notification.Kind.DIGEST:
        return (
            _("[1540 IRO Portal] Your weekly digest"),
            _(
                "%(count)d record(s) became visible to your organization on the 1540 IRO Coordination Portal "
                "in the last %(days)d days.\n\nSign in to read them: %(url)s\n"
            )
            % {"count": newly_visible, "days": DIGEST_DAYS, "url": url},
        )
    if notification.send_email:
        return (
            _("[1540 IRO Portal] A record was shared with your organization"),
            _(
                "A record was shared with your organization on the 1540 IRO Coordination Portal.\n\n"
                "Sign in to read it: %(url)s\n"
            )
            % {"url": url},
        )
    return None


def notification_deliver(*, notification_id: int) -> str:
    """Deliver one outbox row at most once; re-check visibility first. Returns what happened.

    "already delivered" also covers a row another worker is delivering right now (its lock is skipped), so a
    task delivered twice, or the sweep racing the queued task, sends one e-mail.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, delivered_at__isnull=True)
            .first()
        )
        if notification is None:
            return "already delivered"
        recipient = notification.recipient
        newly_visible = 0
        if notification.kind == Notification.Kind.DIGEST:
            until = notification.created
            newly_visible = newly_visible_count(actor=recipient, since=until - timedelta(days=DIGEST_DAYS), until=until)
            visible = recipient.is_active and newly_visible > 0
        else:
            model = apps.get_model(notification.record_type)
            visible = policies.visible_to(recipient, model._default_manager.filter(pk=notification.record_id)).exists()
        now = timezone.now()
        if not visible:
            notification.cancelled = True
            notification.delivered_at = now
            notification.save(update_fields=["cancelled", "delivered_at"])
            return "cancelled"
        # In the recipient's language, whoever's request or worker delivers it.
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            email = _email_for(notification, newly_visible=newly_visible)
        if email is not None and notification.emailed_at is None and recipient.email:
            subject, body = email
            send_mail(
                subject=subject,
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[recipient.email],
            )
            notification.emailed_at = now
        notification.delivered_at = now
        notification.save(update_fields=["emailed_at", "delivered_at"])
        return "delivered"


def notifications_pending_ids(*, older_than_seconds: int = 60, limit: int = 1000) -> list[int]:
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(delivered_at__isnull=True, created__lte=cutoff)
        .order_by("created")
        .values_list("pk", flat=True)[:limit]
    )


def notification_mark_read(*, actor, notification_id: int) -> Notification:
    notification = policies.get_visible_or_404(actor, Notification.objects.all(), pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


# --- periodic notifications ---------------------------------------------------------------------------------


def notifications_write_once(rows: list[Notification]) -> None:
    """Insert rows; a row already written for the same period is skipped by the unique constraint."""
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


def notifications_remind(*, kind: str, model, reminders) -> int:
    """Periodic reminders: one in-app row per (record id, recipient id, period) of `reminders`, written once (a
    second run in the same period adds nothing), then every pending one of `kind` delivered; how many were."""
    notifications_write_once(
        [
            Notification(
                recipient_id=recipient_id,
                kind=kind,
                record_type=model._meta.label_lower,
                record_id=record_id,
                idempotency_key=period,
            )
            for record_id, recipient_id, period in reminders
        ]
    )
    return notifications_deliver_pending(kind=kind)


def notifications_deliver_pending(*, kind: str) -> int:
    ids = list(
        Notification.objects.filter(kind=kind, delivered_at__isnull=True)
        .order_by("created")
        .values_list("pk", flat=True)
    )
    for notification_id in ids:
        notification_deliver(notification_id=notification_id)
    return len(ids)


def newly_visible_count(*, actor, since, until) -> int:
    """How many records of other organizations became visible to `actor` between `since` and `until`.

    A record counts when its sharing changed in the window (the audit says so), `actor` may see it now
    (`visible_to`), and the policy's `reach_of` says `actor`'s organization could not see it before the
    window's first change. Only a number: never which records.
    """
    organization_id = policies.organization_id_of(actor)
    if organization_id is None:
        return 0
    first_change: dict[tuple[str, int], SharingAudit] = {}
    entries = SharingAudit.objects.filter(at__gte=since, at__lt=until).order_by("at", "id")
    for entry in entries.only(
        "record_type", "record_id", "organization_id", "old_state", "old_audience", "old_shared_with"
    ):
        first_change.setdefault((entry.record_type, entry.record_id), entry)
    acronyms = {acronym for entry in first_change.values() for acronym in entry.old_shared_with}
    ids_by_acronym = dict(Organization.objects.filter(acronym__in=acronyms).values_list("acronym", "pk"))

    def seen_before(entry: SharingAudit) -> bool:
        reach = policies.reach_of(
            organization_id=entry.organization_id,
            state=entry.old_state,
            audience=entry.old_audience,
            shared_with_ids=[ids_by_acronym[a] for a in entry.old_shared_with if a in ids_by_acronym],
        )
        return reach.all_iros or organization_id in reach.organization_ids

    count = 0
    for model in submission_models():
        label = model._meta.label_lower
        ids = [
            pk for (record_type, pk), entry in first_change.items() if record_type == label and not seen_before(entry)
        ]
        if ids:
            count += policies.visible_to(actor, model._default_manager.filter(pk__in=ids)).count()
    return count


def notifications_weekly_digest(*, today=None) -> int:
    """One digest row per active IRO user and ISO week, delivered now: an e-mail with a count and a link."""
    today = today or timezone.localdate()
    year, week, _weekday = today.isocalendar()
    key = f"{year}-W{week:02d}"
    recipients = User.objects.filter(
        is_active=True, role__in=[Role.FOCAL_POINT, Role.MEMBER], membership__isnull=False
    ).exclude(email="")
    notifications_write_once(
        [
            Notification(
                recipient_id=pk,
                kind=Notification.Kind.DIGEST,
                record_type=DIGEST_RECORD_TYPE,
                record_id=0,
                send_email=True,
                idempotency_key=key,
            )
            for pk in recipients.values_list("pk", flat=True)
        ]
    )
    return notifications_deliver_pending(kind=Notification.Kind.DIGEST)
