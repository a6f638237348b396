"""The one way to queue a task: after the surrounding transaction commits, never failing the caller.

If the broker is unreachable the change that asked for the task still stands; the periodic sweeps pick up
whatever was left undone (outbox rows stay undelivered until a worker delivers them).
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:  # the broker is down or refusing: the sweep will catch up
            logger.warning("Could not queue %s; the periodic sweep will retry", task.name, exc_info=True)

    transaction.on_commit(send)
