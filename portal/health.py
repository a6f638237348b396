"""`GET /health/`: is this portal able to serve? For load balancers, orchestrators and monitoring.

Each dependency is checked for real and briefly, and the answer is `{"status": "ok" | "error", "checks": {...}}`:

- `database`: a query answers (else `error`); required.
- `migrations`: every migration of this code is applied (else `pending`: the schema is behind the code); required.
- `broker`: Redis accepts a connection (else `error`); `not configured` without REDIS_URL (tasks in-process).
- `storage`: the documents storage accepts a write and gives it back (else `error`); required.
- `worker`: a Celery worker beat on the broker within WORKER_HEARTBEAT_MAX_AGE_SECONDS (else `stale`; `not
  configured` without a broker); informational, see below.

200 when every required check is `ok` (or `not configured`), 503 otherwise. A stale worker heartbeat does not
make the answer 503: a web node serves pages without workers (notifications wait in the outbox and the sweep
delivers them later), so a load balancer must not take every web node out of rotation because the workers stopped;
monitoring alerts on `checks.worker` instead (docs/deployment.md).

Anonymous callers and every signed-in user but administrators get the statuses only; the reason of a failure is
in the server's log. Administrators also get `details`: versions, each worker's heartbeat age, the pending
migrations and the kind of each error (its exception class, never its message). Never cached.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from confidentiality.viewers import viewer_for
from portal.operations.heartbeat import heartbeat_ages, heartbeat_status
from portal.operations.versions import versions

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
NOT_CONFIGURED = "not configured"
BROKER_TIMEOUT_SECONDS = 2


class Check:
    """One check's outcome: its status, and what administrators may read about it."""

    def __init__(self, status: str, **details):
        self.status = status
        self.details = details


def _database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return Check(OK)


def _migrations() -> Check:
    # About 10 ms once the migration modules are imported: cheap enough for every probe.
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    return Check("pending" if pending else OK, pending=pending)


def _broker() -> Check:
    if not settings.REDIS_URL:
        return Check(NOT_CONFIGURED)  # tasks run in-process (make run): there is no broker to reach
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
        broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    return Check(OK)


def _storage() -> Check:
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise OSError("the documents storage gave back something else")
    finally:
        default_storage.delete(name)
    return Check(OK)


def _worker() -> Check:
    if not settings.REDIS_URL:
        return Check(NOT_CONFIGURED)
    ages = heartbeat_ages(broker_url=settings.CELERY_BROKER_URL)
    return Check(heartbeat_status(ages), heartbeat_ages={name: round(age, 1) for name, age in ages.items()})


CHECKS: dict[str, Callable[[], Check]] = {
    "database": _database,
    "migrations": _migrations,
    "broker": _broker,
    "storage": _storage,
    "worker": _worker,
}
# What the answer's status ignores (see the module's docstring).
OPTIONAL_CHECKS = frozenset({"worker"})
PASSING = frozenset({OK, NOT_CONFIGURED})


def _run(name: str, check: Callable[[], Check]) -> Check:
    try:
        return check()
    except Exception as error:  # any failure of a dependency is "error", with the reason in the server's log only
        logger.exception("Health check %s failed", name)
        return Check(ERROR, error=type(error).__name__)


def _details(results: dict[str, Check]) -> dict:
    details: dict = {name: result.details for name, result in results.items() if result.details}
    try:
        details["versions"] = versions()
    except Exception as error:  # the database is down: the rest of the details still help
        details["versions"] = {"error": type(error).__name__}
    return details


@never_cache
@require_GET
def health_view(request):
    results = {name: _run(name, check) for name, check in CHECKS.items()}
    healthy = all(result.status in PASSING for name, result in results.items() if name not in OPTIONAL_CHECKS)
    statuses = {name: result.status for name, result in results.items()}
    body: dict = {"status": OK if healthy else ERROR, "checks": statuses}
    if results["database"].status == OK and viewer_for(request.user).is_admin:
        body["details"] = _details(results)
    return JsonResponse(body, status=200 if healthy else 503)
