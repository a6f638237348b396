"""Periodic work about demarches (beat schedule: `CELERY_BEAT_SCHEDULE` in portal.settings.base)."""

from celery import shared_task

from contacts.reminders import demarche_follow_up_reminders


@shared_task(name="notifications.follow_ups_due")
def notifications_follow_ups_due() -> int:
    return demarche_follow_up_reminders()
