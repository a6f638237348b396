"""Program imports as jobs: the history of every import, and large files run by a worker with progress and cancel.

An import of up to `IMPORT_INLINE_MAX_ROWS` rows runs inside the request and is recorded as a finished job; a
larger one is queued: its file waits in the private storage and the task `programs.import_job_run` imports it as
its user, all or nothing, exactly like the inline path (`programs.imports.programs_import`).

Progress cannot be written to the job's row while the worker imports: the rows are written in one transaction,
and an update of the job inside it would be invisible until the end (and rolled back with it). So the worker
counts rows done in the cache (Redis when REDIS_URL is set, shared by the web processes and the workers), and
reads the cancel flag from the job's row, which the web commits on its own: PostgreSQL's read-committed
statements inside the import's transaction see it at the next row, and raising `ImportCancelled` rolls the whole
import back.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confidentiality import policies
from confidentiality.viewers import own_organization
from portal.kernel.imports import ImportCancelled, ImportReport
from portal.kernel.queue import enqueue_on_commit
from programs import imports
from programs.models import ImportJob

logger = logging.getLogger(__name__)

FOLDER = "import-jobs"
PROGRESS_SECONDS = 24 * 60 * 60


def _progress_key(job_id: int) -> str:
    return f"programs-import-job:{job_id}:done"


def import_runs_inline(rows: int) -> bool:
    return rows <= settings.IMPORT_INLINE_MAX_ROWS


# --- services -------------------------------------------------------------------------------------------------


def import_record_inline(*, actor, organization, filename: str, report: ImportReport) -> ImportJob:
    """The history's row for an import that ran in the request."""
    now = timezone.now()
    return ImportJob.objects.create(
        organization=own_organization(actor) or organization,
        created_by=actor,
        filename=filename,
        inline=True,
        state=ImportJob.State.DONE if report.written else ImportJob.State.FAILED,
        started_at=now,
        finished_at=now,
        rows_total=len(report.rows),
        rows_done=len(report.rows),
        result=report.as_json(),
    )


def import_job_queue(*, actor, file, organization, rows_total: int) -> ImportJob:
    """Keep `file` and queue its import as `actor`; the worker starts once this transaction commits."""
    file.seek(0)
    stored = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}", file)
    with transaction.atomic():
        job = ImportJob.objects.create(
            organization=own_organization(actor) or organization,
            created_by=actor,
            filename=file.name,
            stored_file=stored,
            rows_total=rows_total,
        )
        enqueue_on_commit("programs.import_job_run", job.pk)
    return job


def import_job_run(*, job_id: int) -> str | None:
    """Import a queued job's file (the task's body): its final state, or None when it was not queued (already
    taken by another delivery of the task, or cancelled before it started)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id, state=ImportJob.State.QUEUED).first()
        if job is None:
            return None
        job.state, job.started_at = ImportJob.State.RUNNING, timezone.now()
        job.save(update_fields=["state", "started_at"])

    def progress(done: int, total: int) -> None:
        cache.set(_progress_key(job_id), done, PROGRESS_SECONDS)
        if ImportJob.objects.filter(pk=job_id, cancel_requested=True).exists():
            raise ImportCancelled

    result: dict = {}
    try:
        with default_storage.open(job.stored_file, "rb") as handle:
            file = ContentFile(handle.read(), name=job.filename)
        report = imports.programs_import(
            actor=job.created_by,
            file=file,
            filename=job.filename,
            dry_run=False,
            organization=job.organization,
            progress=progress,
        )
    except ImportCancelled:
        state = ImportJob.State.CANCELLED
    except Exception:
        logger.exception("Program import job %s failed", job_id)
        state = ImportJob.State.FAILED
        message = _("The import stopped on an unexpected error; nothing was written.")
        result = {"errors": [{"row": None, "column": None, "message": message}]}
    else:
        state = ImportJob.State.DONE if report.written else ImportJob.State.FAILED
        result = report.as_json()
    default_storage.delete(job.stored_file)
    rows_done = cache.get(_progress_key(job_id), 0)
    ImportJob.objects.filter(pk=job_id).update(
        state=state, finished_at=timezone.now(), rows_done=rows_done, result=result, stored_file=""
    )
    cache.delete(_progress_key(job_id))
    return state


def import_job_cancel(*, job: ImportJob) -> None:
    """Cancel a job: at once when it waits; a running one stops at its next row and writes nothing."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.state == ImportJob.State.QUEUED:
            stored = job.stored_file
            job.state, job.finished_at, job.stored_file = ImportJob.State.CANCELLED, timezone.now(), ""
            job.save(update_fields=["state", "finished_at", "stored_file"])
            transaction.on_commit(lambda: default_storage.delete(stored))
        elif job.state == ImportJob.State.RUNNING:
            job.cancel_requested = True
            job.save(update_fields=["cancel_requested"])


# --- selectors ------------------------------------------------------------------------------------------------


def import_jobs_for(*, actor, organization=None):
    """The import history `actor` may see (administrators: every organization's, or `organization`'s)."""
    jobs = policies.visible_to(actor, ImportJob.objects.select_related("organization", "created_by"))
    return jobs.filter(organization=organization) if organization is not None else jobs


def import_job_get_for(*, actor, job_id: int) -> ImportJob:
    """One job `actor` may see; 404 for another organization's, exactly like a missing one."""
    return policies.get_visible_or_404(actor, import_jobs_for(actor=actor), pk=job_id)


def import_job_rows_done(job: ImportJob) -> int:
    if job.state == ImportJob.State.RUNNING:
        return cache.get(_progress_key(job.pk), job.rows_done)
    return job.rows_done
