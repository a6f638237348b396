"""`GET /health/`: is this portal able to serve? For load balancers, orchestrators and monitoring.

Each dependency is checked for real and briefly — the database answers a query, the broker (when one is
configured) answers a connection, the documents storage accepts a write and gives it back — and the answer is
`{"status": "ok" | "error", "checks": {"database": "ok", "broker": "ok" | "not configured", "storage": "ok"}}`,
200 when every check passed, 503 otherwise. Nobody, signed in or not, gets more than these statuses: an error
is logged on the server, never described in the answer. Never cached.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
BROKER_TIMEOUT_SECONDS = 2


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def _broker() -> str:
    if not settings.REDIS_URL:
        return "not configured"  # tasks run in-process (make run): there is no broker to reach
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
        broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    return OK


def _storage() -> str:
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise OSError("the documents storage gave back something else")
    finally:
        default_storage.delete(name)
    return OK


CHECKS = {"database": _database, "broker": _broker, "storage": _storage}


def _run(name: str, check) -> str:
    try:
        return check()
    except Exception:  # any failure of a dependency is "error", with the reason in the server's log only
        logger.exception("Health check %s failed", name)
        return ERROR


@never_cache
@require_GET
def health_view(request):
    checks = {name: _run(name, check) for name, check in CHECKS.items()}
    healthy = ERROR not in checks.values()
    return JsonResponse({"status": OK if healthy else ERROR, "checks": checks}, status=200 if healthy else 503)
