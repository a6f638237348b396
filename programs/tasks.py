"""Programs' tasks: the periodic reminders (beat schedule: `CELERY_BEAT_SCHEDULE` in portal.settings.base) and
large spreadsheet imports."""

from celery import shared_task

from programs import import_jobs
from programs.reminders import stale_program_reminders


@shared_task(name="notifications.stale_programs")
def notifications_stale_programs() -> int:
    return stale_program_reminders()


@shared_task(name="programs.import_job_run")
def programs_import_job_run(job_id: int) -> str | None:
    """Idempotent: a job that is no longer queued (taken, or cancelled) is left as it is."""
    return import_jobs.import_job_run(job_id=job_id)
