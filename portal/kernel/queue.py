"""The one way to queue a task: after the surrounding transaction commits, never failing the caller.

If the broker is unreachable the change that asked for the task still stands; the periodic sweeps pick up
whatever was left undone (outbox rows stay undelivered until a worker delivers them).

Tasks are named, not imported: a service queues the task that will call it back without importing the tasks
module (which imports the service), so services and tasks form no import cycle. Each app's `AppConfig.ready`
imports its tasks module, which registers the names.
"""

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` (a Celery task or its registered name) with these arguments once the transaction commits."""
    if isinstance(task, str):
        task = current_app.tasks[task]  # an unknown name fails now, in the caller's transaction

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:  # the broker is down or refusing: the sweep will catch up
            logger.warning("Could not queue %s; the periodic sweep will retry", task.name, exc_info=True)

    transaction.on_commit(send)
