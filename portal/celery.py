"""The Celery application. Broker from REDIS_URL; in-process (eager) when it is unset."""

import logging
import os

from celery import Celery, bootsteps
from django.conf import settings

from portal.operations.heartbeat import broker_is_redis, heartbeat_remove, heartbeat_write

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

logger = logging.getLogger(__name__)

# `portal` is the project package, not an installed app, so autodiscovery would miss its own tasks.
app = Celery("portal", include=["portal.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Beat schedules live in code, not in a database scheduler: `CELERY_BEAT_SCHEDULE` in portal/settings/base.py.


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Beats on the broker while this worker's consumer is connected (portal.operations.heartbeat).

    A consumer step: Celery stops it when the broker connection is lost and starts it again once reconnected,
    so the beat means "connected and consuming", not merely "the process exists".
    """

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.timer_entry = None

    def start(self, consumer):
        if not broker_is_redis(consumer.app.conf.broker_url):
            return
        self._beat(consumer)
        self.timer_entry = consumer.timer.call_repeatedly(settings.WORKER_HEARTBEAT_SECONDS, self._beat, (consumer,))

    def stop(self, consumer):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    def shutdown(self, consumer):
        self.stop(consumer)
        if broker_is_redis(consumer.app.conf.broker_url):
            try:
                heartbeat_remove(broker_url=consumer.app.conf.broker_url, worker=consumer.hostname)
            except Exception:  # a broker already gone cannot be told; the entry ages out instead
                logger.warning("Could not remove the heartbeat of %s", consumer.hostname, exc_info=True)

    @staticmethod
    def _beat(consumer):
        try:
            heartbeat_write(broker_url=consumer.app.conf.broker_url, worker=consumer.hostname)
        except Exception:  # never stop a worker over its heartbeat: it shows up as stale, which is the truth
            logger.warning("Could not write the heartbeat of %s", consumer.hostname, exc_info=True)


app.steps["consumer"].add(WorkerHeartbeat)
