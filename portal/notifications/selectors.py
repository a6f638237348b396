"""Reading notifications: a person's inbox and its unread count, and how each person wants each kind of them.

One list for every surface (the inbox, the dashboard's panel, the navbar's count and `GET /api/v1/notifications/`),
whatever kind of record a notification names: each record is read through its own policy in the registry when it
is shown, so a record the person may no longer see is "no longer available", never named.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from confidentiality import policies
from confidentiality.kinds import kind_for
from portal.accounts.models import Role, User
from portal.notifications.models import Delivery, Notification, NotificationPreference

Kind = Notification.Kind

# Which kinds of notification reach each role, and how unless the person chose otherwise: a focal point hears at
# once of what is shared with its organization, a member in the weekly digest; reminders stay in the portal.
KINDS_BY_ROLE: dict[str, dict[str, str]] = {
    Role.FOCAL_POINT: {Kind.SHARED: Delivery.EMAIL, Kind.STALE_PROGRAM: Delivery.PORTAL},
    Role.MEMBER: {Kind.SHARED: Delivery.DIGEST},
    Role.COMMITTEE: {
        Kind.NEW_SUBMISSION: Delivery.PORTAL,
        Kind.FOLLOW_UP_DUE: Delivery.PORTAL,
        Kind.DEMARCHE_ANSWERED: Delivery.PORTAL,
    },
}
# What each kind means, on the settings page.
KIND_HELP = {
    Kind.SHARED: gettext_lazy("A record of another organization is shared with yours."),
    Kind.STALE_PROGRAM: gettext_lazy("A program of your organization has not been updated for a year."),
    Kind.NEW_SUBMISSION: gettext_lazy("An organization submits a record to the Committee."),
    Kind.FOLLOW_UP_DUE: gettext_lazy("The follow-up of a demarche is due."),
    Kind.DEMARCHE_ANSWERED: gettext_lazy("An organization answers a demarche addressed to it."),
}


# --- preferences ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindPreference:
    kind: str
    label: str
    help: str
    delivery: str
    default: str


def notification_preferences_for(*, actor) -> list[KindPreference]:
    """The kinds of notification that reach `actor`'s role, with how `actor` wants each. One query."""
    defaults = KINDS_BY_ROLE.get(getattr(actor, "role", None), {})
    chosen = dict(
        policies.visible_to(actor, NotificationPreference.objects.filter(kind__in=list(defaults))).values_list(
            "kind", "delivery"
        )
    )
    labels = dict(Kind.choices)
    return [
        KindPreference(
            kind=kind,
            label=str(labels[kind]),
            help=str(KIND_HELP[kind]),
            delivery=chosen.get(kind, default),
            default=default,
        )
        for kind, default in defaults.items()
    ]


def deliveries_for(*, kind: str, user_ids: Iterable[int]) -> dict[int, str]:
    """How each of these users wants `kind`: their own choice, else their role's default. Two queries."""
    user_ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(kind=kind, user_id__in=user_ids).values_list("user_id", "delivery")
    )
    roles = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "role"))
    return {pk: chosen.get(pk) or KINDS_BY_ROLE.get(roles.get(pk), {}).get(kind, Delivery.PORTAL) for pk in user_ids}


def digest_kinds_for(user) -> list[str]:
    """The kinds `user` wants in the weekly digest."""
    defaults = KINDS_BY_ROLE.get(user.role, {})
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [kind for kind in defaults if chosen.get(kind, defaults[kind]) == Delivery.DIGEST]


def digest_recipient_ids() -> QuerySet:
    """Who may get a weekly digest: IRO members who hear of what is shared with their organization by e-mail
    (records shared with all IROs come in the digest only), and whoever chose the digest for some kind."""
    silenced = NotificationPreference.objects.filter(user=OuterRef("pk"), kind=Kind.SHARED, delivery=Delivery.PORTAL)
    chose_digest = NotificationPreference.objects.filter(user=OuterRef("pk"), delivery=Delivery.DIGEST)
    iro_user = Q(role__in=[Role.FOCAL_POINT, Role.MEMBER], membership__isnull=False) & ~Q(Exists(silenced))
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(iro_user | Q(Exists(chose_digest)))
        .values_list("pk", flat=True)
    )


# --- the inbox --------------------------------------------------------------------------------------------------


def notification_inbox_for(*, actor, unread_only: bool = False) -> QuerySet[Notification]:
    """`actor`'s inbox, newest first: every delivered notification, whether or not its record is still visible."""
    rows = policies.visible_to(actor, Notification.objects.filter(Notification.IN_INBOX))
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created", "-id")


def notifications_unread_count(*, actor) -> int:
    """The navbar's count: one index-only query (none for a signed-out visitor)."""
    return policies.visible_to(actor, Notification.objects.filter(Notification.UNREAD)).count()


@dataclass(frozen=True)
class InboxEntry:
    """A notification as a person sees it: the record named only while they may see it."""

    notification: Notification
    record_kind: str  # "Program", "Point of contact"
    available: bool
    title: str = ""
    organization: object = None
    url: str = ""

    @property
    def event(self) -> str:
        return self.notification.get_kind_display()

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def _model_of(record_type: str):
    """The model a notification names, None for one the portal no longer has (or that has no policy)."""
    try:
        model = apps.get_model(record_type)
        policies.policy_for(model)
    except (LookupError, ValueError):
        return None
    return model


def notification_entries(*, actor, notifications: Iterable[Notification]) -> list[InboxEntry]:
    """The entries of these notifications, each record read through its policy now. One query per kind of record."""
    notifications = list(notifications)
    by_type: dict[str, set[int]] = {}
    for notification in notifications:
        by_type.setdefault(notification.record_type, set()).add(notification.record_id)
    records, kinds = {}, {}
    for record_type, ids in by_type.items():
        model = _model_of(record_type)
        if model is None:
            continue
        kinds[record_type] = capfirst(model._meta.verbose_name)
        rows = model._default_manager.filter(pk__in=ids)
        if any(field.name == "organization" and field.is_relation for field in model._meta.fields):
            rows = rows.select_related("organization")
        for record in policies.visible_to(actor, rows):
            records[(record_type, record.pk)] = record
    entries = []
    for notification in notifications:
        record_kind = kinds.get(notification.record_type, _("Record"))
        record = records.get((notification.record_type, notification.record_id))
        if record is None:
            entries.append(InboxEntry(notification=notification, record_kind=record_kind, available=False))
            continue
        kind = kind_for(record)
        entries.append(
            InboxEntry(
                notification=notification,
                record_kind=record_kind,
                available=True,
                title=kind.name_of(record) if kind else str(record),
                organization=getattr(record, "organization", None),
                url=record.get_absolute_url(),
            )
        )
    return entries


def notification_recent_entries(*, actor, limit: int = 8) -> list[InboxEntry]:
    """The latest entries of `actor`'s inbox (the dashboard's panel)."""
    return notification_entries(actor=actor, notifications=notification_inbox_for(actor=actor)[:limit])


# --- the API's list ---------------------------------------------------------------------------------------------


def _still_visible(actor, record_types) -> Q:
    """Notifications whose record `actor` may still see (an audience may have narrowed since)."""
    condition = Q(pk__in=[])
    for record_type in record_types:
        model = _model_of(record_type)
        if model is None:
            continue
        visible = policies.visible_to(actor, model._default_manager.filter(pk=OuterRef("record_id")))
        condition |= Q(Exists(visible), record_type=record_type)
    return condition


def notification_list_for(*, actor) -> QuerySet[Notification]:
    """`actor`'s delivered notifications about records it may still see, newest first (the API, the digest)."""
    mine = notification_inbox_for(actor=actor)
    record_types = mine.order_by().values_list("record_type", flat=True).distinct()
    return mine.filter(_still_visible(actor, list(record_types))).order_by("-created", "-id")
