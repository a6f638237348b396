"""The security log's periodic purge (beat schedule: `CELERY_BEAT_SCHEDULE` in portal/settings/base.py)."""

from celery import shared_task

from portal.security import services


@shared_task(name="security.purge_log")
def security_log_purge() -> int:
    """Remove rows past the retention period. Idempotent: a second run the same day finds nothing to remove."""
    return services.security_log_purge()
