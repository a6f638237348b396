"""`manage.py worker_heartbeat [--worker NAME]`: exit 0 when the worker(s) beat recently, 1 otherwise."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.operations.heartbeat import broker_is_redis, heartbeat_ages, heartbeat_status


class Command(BaseCommand):
    help = (
        "Check the Celery workers' heartbeat on the broker, without `celery inspect` (portal/operations/heartbeat.py): "
        "exit 0 when the named worker (any worker when unnamed) beat within WORKER_HEARTBEAT_MAX_AGE_SECONDS. "
        "For a worker container's health check: --worker celery@$HOSTNAME."
    )

    def add_arguments(self, parser):
        parser.add_argument("--worker", default=None, help="the worker's name (celery@<host>); default: any worker")

    def handle(self, *args, worker: str | None, **options):
        if not broker_is_redis(settings.CELERY_BROKER_URL) or not settings.REDIS_URL:
            raise CommandError("No Redis broker is configured (REDIS_URL): tasks run in-process, no worker beats.")
        ages = heartbeat_ages(broker_url=settings.CELERY_BROKER_URL)
        shown = {name: age for name, age in ages.items() if worker is None or name == worker}
        for name, age in shown.items():
            self.stdout.write(f"{name}: last beat {age:.0f} s ago")
        if heartbeat_status(ages, worker=worker) != "ok":
            raise CommandError(
                f"No heartbeat from {worker or 'any worker'} within {settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS} s.",
                returncode=1,
            )
