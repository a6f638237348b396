"""Notifications: an outbox row written in the same transaction as the change that causes it.

A row names the record (type and id), never copies its content: what a person sees is read through the
visibility policy when it is delivered and when it is shown.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
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
    created = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    cancelled = models.BooleanField(
        _("cancelled"), default=False, help_text=_("The record was no longer visible to the recipient at delivery.")
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Periodic notifications are written at most once per period (a due date, a month, an ISO week): the
    # unique constraint below makes a second run of the same task a no-op, without check-then-act.
    idempotency_key = models.CharField(_("idempotency key"), max_length=32, blank=True, default="")

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notification_recipient_idx"),
            models.Index(fields=["created"], condition=Q(delivered_at__isnull=True), name="notification_outbox_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "record_type", "record_id", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="notification_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.record_type} #{self.record_id})"
