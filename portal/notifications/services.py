"""Writing and delivering notifications. Rows are written in the caller's transaction (an outbox)."""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from confidentiality import policies
from confidentiality.models import SharingAudit
from confidentiality.services import submission_models
from iros.models import Organization
from portal.accounts.models import Role, User
from portal.kernel.queue import enqueue_on_commit
from portal.notifications.models import Delivery, Notification, NotificationPreference
from portal.notifications.selectors import (
    deliveries_for,
    digest_kinds_for,
    digest_recipient_ids,
    notification_list_for,
    notification_preferences_for,
)

DELIVER_TASK = "notifications.deliver"
# A digest names no record: its rows use this record type and id 0, keyed by ISO week.
DIGEST_RECORD_TYPE = "notifications.digest"


def notifications_for_sharing(
    *, record, newly_visible_group_ids: set[int], newly_submitted: bool, **_signal
) -> list[int]:
    """Outbox rows for a record that became visible to organizations (and, when new, to the Committee).

    Connected to `confidentiality.signals.sharing_changed`, so it runs in the sharing change's transaction.
    Members of a newly granted (`selected`) organization get an entry, e-mailed at once to those who want it
    (`deliveries_for`: focal points by default); a record newly submitted gives each Committee expert one. A
    second occurrence renews the entry (`notifications_upsert`). `all_iros` and `public` grants go into the weekly
    digest's count, never a mass e-mail, so they write no rows here.
    """
    record_type = record._meta.label_lower
    members = dict(
        User.objects.filter(
            is_active=True,
            membership__organization__group_id__in=newly_visible_group_ids,
            role__in=[Role.FOCAL_POINT, Role.MEMBER],
        )
        .exclude(membership__organization_id=record.organization_id)
        .values_list("pk", "role")
    )
    rows = _event_rows(Notification.Kind.SHARED, record_type, record.pk, members)
    if newly_submitted:
        experts = User.objects.filter(is_active=True, role=Role.COMMITTEE).values_list("pk", flat=True)
        rows += _event_rows(Notification.Kind.NEW_SUBMISSION, record_type, record.pk, experts)
    ids = notifications_upsert(rows)
    if ids:
        enqueue_on_commit(DELIVER_TASK, ids)
    return ids


def notifications_for_committee(*, kind: str, record) -> list[int]:
    """Outbox rows telling every active Committee expert about `record` (a demarche was answered), in the
    caller's transaction; delivered on commit, which re-checks that each expert may still see the record."""
    experts = User.objects.filter(is_active=True, role=Role.COMMITTEE).values_list("pk", flat=True)
    ids = notifications_upsert(_event_rows(kind, record._meta.label_lower, record.pk, experts))
    if ids:
        enqueue_on_commit(DELIVER_TASK, ids)
    return ids


def _event_rows(kind: str, record_type: str, record_id: int, user_ids) -> list[Notification]:
    deliveries = deliveries_for(kind=kind, user_ids=user_ids)
    return [
        Notification(
            recipient_id=user_id,
            kind=kind,
            record_type=record_type,
            record_id=record_id,
            send_email=delivery == Delivery.EMAIL,
        )
        for user_id, delivery in deliveries.items()
    ]


def notifications_upsert(rows: list[Notification]) -> list[int]:
    """Write event rows: one per recipient, record and event. When the event happens again (a record withdrawn
    and submitted again), the existing row comes back — its time renewed, unread, to be delivered again (an
    e-mail already sent is not sent twice) — in one statement, without check-then-act. Returns the rows' ids."""
    if not rows:
        return []
    written = Notification.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["recipient", "kind", "record_type", "record_id", "idempotency_key"],
        update_fields=["created", "read_at", "delivered_at", "cancelled", "send_email"],
    )
    return [row.pk for row in written]


def record_url(record_type: str, record_id: int) -> str:
    """The absolute link a notification carries: the record's page (built by its model), or the inbox."""
    if record_type == DIGEST_RECORD_TYPE:
        path = reverse("notifications:inbox")
    else:
        # The pages of notified records are addressed by their key alone, so no row needs to be read.
        path = apps.get_model(record_type)(pk=record_id).get_absolute_url()
    return settings.PORTAL_BASE_URL.rstrip("/") + path


DIGEST_DAYS = 7


def _email_for(notification: Notification, *, url: str, newly_visible: int = 0, waiting=None) -> tuple[str, str] | None:
    """(subject, body) of the e-mail a notification sends, or None: what happened and a link — a digest counts —
    never a record's content. In the active language (the recipient's)."""
    if notification.kind == Notification.Kind.DIGEST:
        return _digest_email(newly_visible=newly_visible, waiting=waiting or {}, url=url)
    if not notification.send_email:
        return None
    values = {"url": url}
    kind = notification.kind
    if kind == Notification.Kind.SHARED:
        return (
            _("[1540 IRO Portal] A record was shared with your organization"),
            _(
                "A record was shared with your organization on the 1540 IRO Coordination Portal.\n\n"
                "Sign in to read it: %(url)s\n"
            )
            % values,
        )
    if kind == Notification.Kind.NEW_SUBMISSION:
        return (
            _("[1540 IRO Portal] A new submission to the Committee"),
            _(
                "An organization submitted a record to the Committee on the 1540 IRO Coordination Portal.\n\n"
                "Sign in to read it: %(url)s\n"
            )
            % values,
        )
    if kind == Notification.Kind.FOLLOW_UP_DUE:
        return (
            _("[1540 IRO Portal] The follow-up of a demarche is due"),
            _(
                "The follow-up of a demarche is due on the 1540 IRO Coordination Portal.\n\n"
                "Sign in to read it: %(url)s\n"
            )
            % values,
        )
    return (
        _("[1540 IRO Portal] A program to update"),
        _(
            "A program of your organization has not been updated for a year on the 1540 IRO Coordination "
            "Portal.\n\nSign in to read it: %(url)s\n"
        )
        % values,
    )


def _digest_email(*, newly_visible: int, waiting: dict[str, int], url: str) -> tuple[str, str]:
    """(subject, body) of the weekly digest: counts and a link, never a record's title."""
    subject = _("[1540 IRO Portal] Your weekly digest")
    values = {"count": newly_visible, "days": DIGEST_DAYS, "url": url}
    if not waiting:
        return subject, _(
            "%(count)d record(s) became visible to your organization on the 1540 IRO Coordination Portal "
            "in the last %(days)d days.\n\nSign in to read them: %(url)s\n"
        ) % values
    labels = dict(Notification.Kind.choices)
    parts = []
    if newly_visible:
        parts.append(
            _(
                "%(count)d record(s) became visible to your organization on the 1540 IRO Coordination Portal "
                "in the last %(days)d days."
            )
            % values
        )
    parts.append(
        _("Your notifications of the last %(days)d days:") % values
        + "".join(f"\n- {labels[kind]}: {count}" for kind, count in waiting.items())
    )
    parts.append(_("Sign in to read them: %(url)s\n") % values)
    return subject, "\n\n".join(parts)


def _digest_content(recipient: User, until) -> tuple[int, dict[str, int]]:
    """What a digest about the week before `until` tells `recipient`: how many records became visible to their
    organization (when they hear of shared records at all) and how many notifications of each kind they chose
    to read in the digest arrived (about records they may still see)."""
    since = until - timedelta(days=DIGEST_DAYS)
    kinds = digest_kinds_for(recipient)
    # Records shared with all IROs or made public notify nobody at once: the digest counts them for whoever hears
    # of shared records at all (not "in the portal only").
    shares = deliveries_for(kind=Notification.Kind.SHARED, user_ids=[recipient.pk])[recipient.pk]
    hears_of_shares = recipient.role in (Role.FOCAL_POINT, Role.MEMBER) and shares != Delivery.PORTAL
    newly_visible = newly_visible_count(actor=recipient, since=since, until=until) if hears_of_shares else 0
    waiting: dict[str, int] = {}
    if kinds:
        rows = notification_list_for(actor=recipient).filter(
            kind__in=kinds, created__gte=since, created__lt=until, emailed_at__isnull=True
        )
        for kind in rows.values_list("kind", flat=True):
            waiting[kind] = waiting.get(kind, 0) + 1
    return newly_visible, {kind: waiting[kind] for kind in kinds if kind in waiting}


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
        newly_visible, waiting = 0, {}
        if notification.kind == Notification.Kind.DIGEST:
            newly_visible, waiting = _digest_content(recipient, notification.created)
            visible = recipient.is_active and bool(newly_visible or waiting)
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
        url = record_url(notification.record_type, notification.record_id)
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            email = _email_for(notification, url=url, newly_visible=newly_visible, waiting=waiting)
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
    """Mark one of `actor`'s notifications read; someone else's is Http404, like a missing one."""
    notification = policies.get_visible_or_404(actor, Notification.objects.all(), pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notification of `actor`'s inbox read, in one statement; how many were."""
    unread = policies.visible_to(actor, Notification.objects.filter(Notification.UNREAD))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_set(*, actor, deliveries: dict[str, str]) -> None:
    """Save how `actor` wants each kind of notification that reaches their role (`Delivery` values)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied
    offered = {preference.kind: preference for preference in notification_preferences_for(actor=actor)}
    unknown = sorted(set(deliveries) - set(offered))
    if unknown:
        raise ValidationError(_("Unknown kinds of notification: %(kinds)s.") % {"kinds": ", ".join(unknown)})
    for kind, delivery in deliveries.items():
        if delivery not in Delivery.values:
            raise ValidationError({kind: _("Unknown choice “%(value)s”.") % {"value": delivery}})
    for kind, delivery in deliveries.items():
        NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"delivery": delivery})


# --- periodic notifications ---------------------------------------------------------------------------------


def notifications_write_once(rows: list[Notification]) -> None:
    """Insert rows; a row already written for the same period is skipped by the unique constraint."""
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


# A reminder of a new period renews the entry of the previous one (one entry per record and reminder).
_RENEW_REMINDERS = """
UPDATE notifications_notification AS n
SET idempotency_key = r.period, created = %s, read_at = NULL, delivered_at = NULL, cancelled = FALSE,
    emailed_at = NULL, send_email = r.send_email
FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[], %s::boolean[]) AS r(record_id, recipient_id, period, send_email)
WHERE n.kind = %s AND n.record_type = %s AND n.record_id = r.record_id AND n.recipient_id = r.recipient_id
  AND n.idempotency_key <> r.period
"""


def notifications_remind(*, kind: str, model, reminders) -> int:
    """Periodic reminders: one entry per (record id, recipient id) of `reminders`, for its period. A second run in
    the same period changes nothing; a new period renews the entry (unread, delivered again). Then every pending
    one of `kind` is delivered (in the beat task: reminders are few); returns how many were."""
    _reminders_write(kind=kind, model=model, reminders=list(reminders))
    return notifications_deliver_pending(kind=kind)


@transaction.atomic
def _reminders_write(*, kind: str, model, reminders: list) -> None:
    record_type = model._meta.label_lower
    deliveries = deliveries_for(kind=kind, user_ids={recipient_id for _record, recipient_id, _period in reminders})
    emailed = [deliveries[recipient_id] == Delivery.EMAIL for _record, recipient_id, _period in reminders]
    if reminders:
        with connection.cursor() as cursor:
            cursor.execute(
                _RENEW_REMINDERS,
                [
                    timezone.now(),
                    [record_id for record_id, _recipient, _period in reminders],
                    [recipient_id for _record, recipient_id, _period in reminders],
                    [period for _record, _recipient, period in reminders],
                    emailed,
                    kind,
                    record_type,
                ],
            )
    notifications_write_once(
        [
            Notification(
                recipient_id=recipient_id,
                kind=kind,
                record_type=record_type,
                record_id=record_id,
                idempotency_key=period,
                send_email=send_email,
            )
            for (record_id, recipient_id, period), send_email in zip(reminders, emailed, strict=True)
        ]
    )


def notifications_queue_pending(*, kind: str) -> int:
    """Queue, after commit, the delivery of every row of `kind` not delivered yet; how many."""
    ids = list(
        Notification.objects.filter(kind=kind, delivered_at__isnull=True)
        .order_by("created")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), DELIVERY_BATCH):
        enqueue_on_commit(DELIVER_TASK, ids[start : start + DELIVERY_BATCH])
    return len(ids)


DELIVERY_BATCH = 200


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


@transaction.atomic
def notifications_weekly_digest(*, today=None) -> int:
    """One digest row per person who may get one and ISO week — a second run in the same week writes nothing —
    delivered after commit: an e-mail with counts and a link, or nothing when there is nothing to tell."""
    today = today or timezone.localdate()
    year, week, _weekday = today.isocalendar()
    key = f"{year}-W{week:02d}"
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
            for pk in digest_recipient_ids()
        ]
    )
    return notifications_queue_pending(kind=Notification.Kind.DIGEST)
