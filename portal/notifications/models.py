"""Notifications: an outbox row written in the same transaction as the change that causes it.

A row names the record (type and id), never copies its content: what a person sees is read through the
visibility policy when it is delivered and when it is shown.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One entry of a person's inbox: an event about a record.

    One row per recipient, record and event (`kind`): when the event happens again (a record withdrawn and
    submitted again), the row is brought back as new — its time renewed, unread, delivered again — instead of
    a second one. Periodic reminders carry their period in `idempotency_key`: a second run in the same period
    writes nothing, and a new period renews the row.
    """

    class Kind(models.TextChoices):
        SHARED = "shared", _("Shared with your organization")
        NEW_SUBMISSION = "new_submission", _("New submission")
        FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")
        STALE_PROGRAM = "stale_program", _("Program to update")
        DIGEST = "digest", _("Weekly digest")
        DEMARCHE_ANSWERED = "demarche_answered", _("Demarche answered")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    record_type = models.CharField(_("record type"), max_length=64)
    record_id = models.BigIntegerField(_("record id"))
    send_email = models.BooleanField(_("send an e-mail"), default=False)
    # When the event last happened (renewed when it happens again).
    created = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    cancelled = models.BooleanField(
        _("cancelled"), default=False, help_text=_("The record was no longer visible to the recipient at delivery.")
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Periodic notifications are written at most once per period (a due date, a month, an ISO week): the
    # unique constraint below makes a second run of the same task a no-op, without check-then-act. Events
    # leave it empty, so the same constraint keeps one row per recipient, record and event.
    idempotency_key = models.CharField(_("idempotency key"), max_length=32, blank=True, default="")

    # What the inbox lists (delivered rows about a record; digests are e-mails about none) and what it counts.
    IN_INBOX = Q(delivered_at__isnull=False, cancelled=False) & ~Q(kind="digest")
    UNREAD = IN_INBOX & Q(read_at__isnull=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notification_recipient_idx"),
            models.Index(fields=["created"], condition=Q(delivered_at__isnull=True), name="notification_outbox_idx"),
            # The navbar's unread count on every page: an index-only count of a few rows.
            models.Index(
                fields=["recipient"],
                condition=Q(delivered_at__isnull=False, cancelled=False, read_at__isnull=True) & ~Q(kind="digest"),
                name="notification_unread_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "record_type", "record_id", "idempotency_key"],
                name="notification_one_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.record_type} #{self.record_id})"


class Delivery(models.TextChoices):
    """How a person wants one kind of notification. Every notification is in the portal's inbox too."""

    EMAIL = "email", _("Immediately by e-mail")
    DIGEST = "digest", _("In the weekly digest")
    PORTAL = "portal", _("In the portal only")


class NotificationPreference(models.Model):
    """A person's choice for one kind of notification; without a row, the kind's default for their role applies
    (`portal.notifications.preferences`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Notification.Kind.choices)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
            models.CheckConstraint(condition=~Q(kind="digest"), name="notification_preference_not_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} → {self.get_delivery_display()}"
