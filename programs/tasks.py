"""Programs' tasks: the periodic reminders (beat schedule: `CELERY_BEAT_SCHEDULE` in portal.settings.base)."""

from celery import shared_task

from programs.reminders import stale_program_reminders


@shared_task(name="notifications.stale_programs")
def notifications_stale_programs() -> int:
    return stale_program_reminders()
