"""Points of contact (resolution 1977), demarches asking IROs to designate them, and regional coordinators."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from confidentiality.models import GrantBase, State, Submission
from iros.models import END_BEFORE_START, DatePrecision, Organization, Region, date_order_errors, format_partial_date
from portal.kernel.fulltext import weighted_vector

FOLLOW_UP_BEFORE_SENDING = _("The follow-up cannot be due before the demarche was sent.")
ANSWER_BEFORE_SENDING = _("The answer cannot come before the demarche was sent.")


class ContactRole(models.TextChoices):
    ASSISTANCE = "assistance", _("Point of contact for assistance")
    IMPLEMENTATION = "implementation", _("Point of contact for implementation")


def contact_search_vector():
    """What the search box and the contact list's keyword filter match (portal.kernel.fulltext)."""
    return weighted_vector(("person", "A"), ("title", "B"), ("email", "C"), ("organization__acronym", "C"))


class PointOfContact(Submission):
    """A designated contact. That a role is designated, and since when, is public; the details follow the audience."""

    role = models.CharField(_("role"), max_length=16, choices=ContactRole.choices)
    person = models.CharField(_("person"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while the designation stands."))
    # The organization's own identifier of the contact (from its own records): what a spreadsheet import matches
    # rows on, so that importing the same file twice changes nothing. Unique within the organization when given.
    external_key = models.CharField(_("key"), max_length=100, blank=True)
    history = HistoricalRecords(excluded_fields=["state", "audience"])

    class Meta:
        ordering = ["organization__acronym", "role", "-since"]
        verbose_name = _("point of contact")
        verbose_name_plural = _("points of contact")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "role"],
                condition=Q(until__isnull=True, state=State.SUBMITTED),
                name="contact_one_active_per_role",
                violation_error_message=_("This organization already has an active contact for this role."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="contact_until_after_since",
                violation_error_message=END_BEFORE_START,
            ),
            models.UniqueConstraint(
                fields=["organization", "external_key"],
                condition=~Q(external_key=""),
                name="contact_external_key_unique",
                violation_error_message=_("Another point of contact of this organization already has this key."),
            ),
        ]
        indexes = [models.Index(fields=["organization", "role", "state"], name="contact_org_role_idx")]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_role_display()}: {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("contacts:detail", args=[self.pk])

    def clean(self):
        if errors := date_order_errors(self, "since", {"until": END_BEFORE_START}):
            raise ValidationError(errors)

    # "One standing designation per organization and role", written once: the database constraint below, which
    # forms ask before saving (so the problem shows with the others) and services before writing.
    ONE_ACTIVE_CONSTRAINT = "contact_one_active_per_role"

    @classmethod
    def one_active_constraint(cls) -> models.UniqueConstraint:
        return next(c for c in cls._meta.constraints if c.name == cls.ONE_ACTIVE_CONSTRAINT)

    @property
    def is_standing(self) -> bool:
        """Submitted and not ended: the designation the public status counts."""
        return self.state == State.SUBMITTED and self.until is None


class PointOfContactGrant(GrantBase):
    content_object = models.ForeignKey(PointOfContact, on_delete=models.CASCADE, related_name="grants")

    class Meta(GrantBase.Meta):
        verbose_name = _("point of contact grant")
        verbose_name_plural = _("point of contact grants")


class Demarche(models.Model):
    """A request from the Committee to an IRO (typically: designate a point of contact), with its follow-up."""

    class Request(models.TextChoices):
        DESIGNATE_ASSISTANCE = "designate_assistance", _("Designate a point of contact for assistance")
        DESIGNATE_IMPLEMENTATION = "designate_implementation", _("Designate a point of contact for implementation")
        INFORMATION = "information", _("Provide information on 1540-relevant programs")
        OTHER = "other", _("Other")

    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        NOTE_VERBALE = "note_verbale", _("Note verbale")
        EMAIL = "email", _("E-mail")
        MEETING = "meeting", _("Meeting")
        PHONE = "phone", _("Telephone")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="demarches", verbose_name=_("organization")
    )
    request = models.CharField(_("request"), max_length=32, choices=Request.choices)
    details = models.TextField(_("details"), blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    # The organization's own answer, given in the portal by one of its focal points: a reply, or the designation
    # of the point of contact the demarche asked for (`outcome` stays the Committee's assessment).
    reply = models.TextField(_("reply of the organization"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    designation = models.ForeignKey(
        PointOfContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_demarches",
        verbose_name=_("designation that answered it"),
    )

    # The role each designation request asks for.
    REQUESTED_ROLES = {
        Request.DESIGNATE_ASSISTANCE: ContactRole.ASSISTANCE,
        Request.DESIGNATE_IMPLEMENTATION: ContactRole.IMPLEMENTATION,
    }

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("demarche")
        verbose_name_plural = _("demarches")
        indexes = [models.Index(fields=["organization", "-sent_on"], name="demarche_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("sent_on")),
                name="demarche_answer_after_sending",
                violation_error_message=ANSWER_BEFORE_SENDING,
            ),
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True) | Q(follow_up_due__gte=F("sent_on")),
                name="demarche_follow_up_after_sending",
                violation_error_message=FOLLOW_UP_BEFORE_SENDING,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_request_display()} ({self.sent_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        # Its page: the request, the answer, and for the organization concerned the ways to answer.
        return reverse("contacts:demarche_answer", args=[self.pk])

    def clean(self):
        ends = {"follow_up_due": FOLLOW_UP_BEFORE_SENDING, "answered_on": ANSWER_BEFORE_SENDING}
        if errors := date_order_errors(self, "sent_on", ends):
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    @property
    def requested_role(self) -> str | None:
        """The point-of-contact role a designation request asks for; None for other requests."""
        return self.REQUESTED_ROLES.get(self.request)

    @classmethod
    def requests_for_role(cls, role: str) -> list[str]:
        return [request for request, requested in cls.REQUESTED_ROLES.items() if requested == role]

    # "Overdue", written once: unanswered, and its follow-up was due before today.
    @staticmethod
    def overdue_condition(today) -> Q:
        return Q(answered_on__isnull=True, follow_up_due__lt=today)

    def is_overdue(self, today) -> bool:
        return self.is_open and self.follow_up_due is not None and self.follow_up_due < today


class RegionalCoordinator(models.Model):
    class Status(models.TextChoices):
        DISCUSSED = "discussed", _("Discussed")
        PROPOSED = "proposed", _("Proposed")
        APPOINTED = "appointed", _("Appointed")
        ENDED = "ended", _("Ended")

    host = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="coordinators", verbose_name=_("host organization")
    )
    area = models.CharField(_("area served"), max_length=200, help_text=_("For example 'Caribbean' or 'OSCE region'."))
    regions = models.ManyToManyField(Region, blank=True, related_name="coordinators", verbose_name=_("regions"))
    states_served = ArrayField(
        models.CharField(max_length=2), default=list, blank=True, verbose_name=_("states served")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    person = models.CharField(_("person"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    since_precision = models.CharField(
        _("precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.MONTH
    )
    until = models.DateField(_("until"), null=True, blank=True)
    until_precision = models.CharField(
        _("precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.MONTH
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["host__acronym", "area"]
        verbose_name = _("regional coordinator")
        verbose_name_plural = _("regional coordinators")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="coordinator_until_after_since",
                violation_error_message=END_BEFORE_START,
            ),
            models.UniqueConstraint(fields=["host", "area"], name="coordinator_unique_host_area"),
        ]

    def __str__(self) -> str:
        return f"{self.host} — {self.area} ({self.get_status_display()})"

    def clean(self):
        if errors := date_order_errors(self, "since", {"until": END_BEFORE_START}):
            raise ValidationError(errors)

    @property
    def since_display(self) -> str:
        return format_partial_date(self.since, self.since_precision)
