"""The sharing mechanism's data: audiences, the submission base, the grant-table base and the audit.

A submission's own fields (`state`, `audience`, `shared_with`) are the truth. The grant tables are an index
derived from them by `confidentiality.services` and read by `confidentiality.policies`.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Audience(models.TextChoices):
    COMMITTEE = "committee", _("The Committee only")
    SELECTED = "selected", _("The Committee and selected IROs")
    ALL_IROS = "all_iros", _("The Committee and all IROs")
    PUBLIC = "public", _("Everyone (public)")


class Submission(models.Model):
    """What an IRO submits: an owner organization, a workflow state and an audience.

    `state`, `audience` and `shared_with` change only through `confidentiality.services`, which keeps the
    grant index and the audit in step; database triggers (see the migrations) refuse `shared_with` rows on a
    record whose audience is not `selected`, or naming the owner.
    """

    organization = models.ForeignKey(
        "iros.Organization",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_owned",
        verbose_name=_("organization"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, default=Audience.COMMITTEE)
    shared_with = models.ManyToManyField(
        "iros.Organization",
        blank=True,
        related_name="%(app_label)s_%(class)s_shared",
        verbose_name=_("shared with"),
        help_text=_("Organizations that may see this record when the audience is 'selected'."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class GrantBase(GroupObjectPermissionBase):
    """A direct foreign-key group-permission table: one per submission model, declared next to it.

    Subclasses add `content_object = models.ForeignKey(<Model>, on_delete=models.CASCADE)`, so deleting a
    record deletes its grants. The unique index (group, permission, content_object) serves the visibility
    `EXISTS`; the foreign key's own index on content_object serves the record's own grant rewrites.
    """

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = True


class SharingAudit(models.Model):
    """Append-only history of state and audience changes (triggers reject UPDATE, DELETE and TRUNCATE)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        WITHDRAW = "withdraw", _("Withdrawn to draft")
        CHANGE_AUDIENCE = "change_audience", _("Audience changed")

    record_type = models.CharField(_("record type"), max_length=64)
    record_id = models.BigIntegerField(_("record id"))
    organization = models.ForeignKey(
        "iros.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    old_state = models.CharField(_("old state"), max_length=16, choices=State.choices)
    new_state = models.CharField(_("new state"), max_length=16, choices=State.choices)
    old_audience = models.CharField(_("old audience"), max_length=16, choices=Audience.choices)
    new_audience = models.CharField(_("new audience"), max_length=16, choices=Audience.choices)
    old_shared_with = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    new_shared_with = ArrayField(models.CharField(max_length=32), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id", "-at"], name="audit_record_idx")]
        verbose_name = _("sharing audit entry")
        verbose_name_plural = _("sharing audit")

    def __str__(self) -> str:
        return f"{self.record_type} #{self.record_id}: {self.old_audience} → {self.new_audience} ({self.at:%Y-%m-%d})"
