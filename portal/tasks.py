"""Project-level tasks."""

from celery import shared_task


@shared_task(name="portal.ping")
def ping() -> str:
    """Health check: proves a worker consumes the queue. Reads and writes nothing."""
    return "pong"
