"""Running imports and keeping their history: every import a page runs is an `ImportJob`, of any kind of record.

An import of up to `IMPORT_INLINE_MAX_ROWS` rows runs inside the request and is recorded as a finished job; a
larger one is queued: its file waits in the private storage and the task `imports.job_run` imports it as its user,
all or nothing, exactly like the inline path (`import_run`, through the kind's `Importer`).

Progress cannot be written to the job's row while the worker imports: the rows are written in one transaction,
and an update of the job inside it would be invisible until the end (and rolled back with it). So the worker
counts rows done in the cache (Redis when REDIS_URL is set, shared by the web processes and the workers), and
reads the cancel flag and the state from the job's row, which the web and the sweep commit on their own:
PostgreSQL's read-committed statements inside the import's transaction see them at the next row, and raising
`ImportCancelled` rolls the whole import back.

A worker that dies (killed, out of memory, its machine lost) rolls its transaction back with its connection but
leaves its job "running": the periodic sweep (`import_jobs_fail_stuck`) marks jobs running for longer than
`IMPORT_JOB_TIMEOUT_MINUTES` as failed. The import's rows and its job's end commit together, under a lock on the
job's row, so a sweep either comes first (the import then rolls back) or finds the job finished. A job whose task
never reached a worker (the broker was down when it was queued) stays "queued": the sweep queues it again
(`import_jobs_requeue`); the task takes a job only once, so a second delivery does nothing.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from confidentiality.viewers import own_organization
from iros.models import Organization
from portal.imports.importers import Importer, importer_for
from portal.imports.models import ImportJob
from portal.kernel.imports import ImportCancelled, ImportReport, import_file
from portal.kernel.queue import enqueue_on_commit

logger = logging.getLogger(__name__)

FOLDER = "import-jobs"
PROGRESS_SECONDS = 24 * 60 * 60
# A job still queued this long after it was created was probably never sent (the broker was down): queue it again.
REQUEUE_AFTER = timedelta(minutes=5)


def progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:done"


def import_runs_inline(rows: int) -> bool:
    return rows <= settings.IMPORT_INLINE_MAX_ROWS


def import_run(
    *,
    importer: Importer,
    actor,
    file,
    filename: str,
    dry_run: bool,
    organization: Organization | None = None,
    progress=None,
) -> ImportReport:
    """Import an uploaded CSV or XLSX file of `importer`'s kind as `actor`: the one way the page, the API and the
    worker import. An `ImportReport`, never an exception for what the file holds. `organization`: the owner of
    rows naming none (an administrator's choice); `progress`: the engine's per-row callback."""
    kind = importer.kind(actor=actor, organization=organization if importer.chooses_organization else None)
    return import_file(kind, file, filename=filename, dry_run=dry_run, progress=progress)


def _job_organization(importer: Importer, actor, organization: Organization | None) -> Organization | None:
    if not importer.chooses_organization:
        return None
    return own_organization(actor) or organization


def import_record_inline(
    *, importer: Importer, actor, organization: Organization | None, filename: str, report: ImportReport
) -> ImportJob:
    """The history's row for an import that ran in the request."""
    now = timezone.now()
    return ImportJob.objects.create(
        kind=importer.slug,
        organization=_job_organization(importer, actor, organization),
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


def import_job_queue(
    *, importer: Importer, actor, file, organization: Organization | None, rows_total: int
) -> ImportJob:
    """Keep `file` and queue its import as `actor`; the worker starts once this transaction commits."""
    file.seek(0)
    stored = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}", file)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=importer.slug,
            organization=_job_organization(importer, actor, organization),
            created_by=actor,
            filename=file.name,
            stored_file=stored,
            rows_total=rows_total,
        )
        enqueue_on_commit("imports.job_run", job.pk)
    return job


def _finish(job_id: int, state: str, result: dict) -> bool:
    """Record a running job's end; False when it is no longer running (the sweep declared it lost)."""
    rows_done = cache.get(progress_key(job_id), 0)
    finished = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.RUNNING).update(
        state=state, finished_at=timezone.now(), rows_done=rows_done, result=result, stored_file=""
    )
    # Once the end is committed: until then the page reads the job as running, and its progress from the cache.
    transaction.on_commit(lambda: cache.delete(progress_key(job_id)))
    return bool(finished)


def _error_result(message: str) -> dict:
    return {"errors": [{"row": None, "column": None, "message": message}]}


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
        cache.set(progress_key(job_id), done, PROGRESS_SECONDS)
        stopped = Q(cancel_requested=True) | ~Q(state=ImportJob.State.RUNNING)
        if ImportJob.objects.filter(stopped, pk=job_id).exists():
            raise ImportCancelled

    stored = job.stored_file
    # Messages in the importer's own language: they read the result on the job's page later.
    language = job.created_by.language or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            with default_storage.open(stored, "rb") as handle:
                file = ContentFile(handle.read(), name=job.filename)
            with transaction.atomic():
                report = import_run(
                    importer=importer_for(job.kind),
                    actor=job.created_by,
                    file=file,
                    filename=job.filename,
                    dry_run=False,
                    organization=job.organization,
                    progress=progress,
                )
                # The rows and the job's end commit together, under the job's lock (see the module's docstring).
                if not ImportJob.objects.select_for_update().filter(pk=job_id, state=ImportJob.State.RUNNING).exists():
                    raise ImportCancelled
                _finish(job_id, ImportJob.State.DONE if report.written else ImportJob.State.FAILED, report.as_json())
    except ImportCancelled:
        _finish(job_id, ImportJob.State.CANCELLED, {})
    except Exception:
        logger.exception("Import job %s failed", job_id)
        with translation.override(language):
            message = _("The import stopped on an unexpected error; nothing was written.")
        _finish(job_id, ImportJob.State.FAILED, _error_result(message))
    default_storage.delete(stored)
    return ImportJob.objects.values_list("state", flat=True).get(pk=job_id)


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


def import_jobs_fail_stuck(*, now=None) -> int:
    """Mark as failed the jobs running for longer than `IMPORT_JOB_TIMEOUT_MINUTES` (their worker was lost); how
    many. Idempotent: a job already ended, by its worker or an earlier sweep, is left as it is."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.IMPORT_JOB_TIMEOUT_MINUTES)
    failed = 0
    for job in ImportJob.objects.filter(state=ImportJob.State.RUNNING, started_at__lt=cutoff).select_related(
        "created_by"
    ):
        with translation.override(job.created_by.language or settings.LANGUAGE_CODE):
            message = _(
                "The import did not finish within %(minutes)s minutes (its worker stopped); nothing was written. "
                "Import the file again."
            ) % {"minutes": settings.IMPORT_JOB_TIMEOUT_MINUTES}
        # `state = running` is checked again by the UPDATE itself, after any lock a finishing worker holds.
        if ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.RUNNING).update(
            state=ImportJob.State.FAILED, finished_at=now, result=_error_result(message), stored_file=""
        ):
            failed += 1
            if job.stored_file:
                default_storage.delete(job.stored_file)
            cache.delete(progress_key(job.pk))
    return failed


def import_jobs_requeue(*, now=None) -> int:
    """Queue again the jobs waiting for longer than `REQUEUE_AFTER` (their task was probably lost); how many."""
    now = now or timezone.now()
    waiting = list(
        ImportJob.objects.filter(state=ImportJob.State.QUEUED, created_at__lt=now - REQUEUE_AFTER).values_list(
            "pk", flat=True
        )
    )
    for job_id in waiting:
        enqueue_on_commit("imports.job_run", job_id)
    return len(waiting)
