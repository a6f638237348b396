"""The import history: one `ImportJob` per import a page ran, inline or by a worker, of any kind of record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from iros.models import Organization
from portal.imports.importers import importer_for


class ImportJob(models.Model):
    """One import of a spreadsheet (`kind`: its importer's slug, `portal.imports.importers`), run inline or by a
    worker: the import history, kept with the audit.

    Rows are never deleted (read-only in the admin). While a worker runs the job, its progress lives in the cache
    (`portal.imports.services`), not here: the rows are written in one transaction that other connections cannot
    see into until it commits.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("kind"), max_length=32, help_text=_("What was imported: programs, contacts, …"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("organization"),
        help_text=_("The importer's organization; for an administrator, the one chosen for rows naming none."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    stored_file = models.CharField(max_length=255, blank=True, help_text=_("Deleted once the job has run."))
    inline = models.BooleanField(_("run inline"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    cancel_requested = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True, help_text=_("Counts and errors, as the API's."))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            models.Index(fields=["kind", "-created_at"], name="importjob_kind_created_idx"),
            # The sweep of jobs a lost worker left running reads only these.
            models.Index(fields=["started_at"], condition=models.Q(state="running"), name="importjob_running_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return importer_for(self.kind).url("import_job", self.pk)

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.CANCELLED)
