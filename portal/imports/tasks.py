"""Imports' tasks: a large file imported by a worker, and the periodic sweep of jobs a lost worker left running or
a lost message left waiting (beat schedule: `CELERY_BEAT_SCHEDULE` in portal.settings.base)."""

from celery import shared_task

from portal.imports import services


@shared_task(name="imports.job_run")
def imports_job_run(job_id: int) -> str | None:
    """Idempotent: a job that is no longer queued (taken, or cancelled) is left as it is."""
    return services.import_job_run(job_id=job_id)


@shared_task(name="imports.sweep")
def imports_sweep() -> dict[str, int]:
    """Idempotent: a job still running past the timeout fails, once; a job still waiting is queued again, and its
    task takes it only once."""
    return {"failed": services.import_jobs_fail_stuck(), "requeued": services.import_jobs_requeue()}
