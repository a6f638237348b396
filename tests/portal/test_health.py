"""`GET /health/`: 200 when the required dependencies work, 503 when one fails; statuses only, except to administrators.

Real PostgreSQL, real Redis (this test worker's database), a real Celery worker process for the heartbeat.
"""

import time

import pytest
import redis
from django.db import connection
from django.urls import reverse

from portal import health
from portal.operations.heartbeat import KEY, heartbeat_write
from tests.notifications.test_delivery import Worker

pytestmark = pytest.mark.django_db

URL = "/health/"  # the path CONTRACT.md promises
ALL_OK = {"database": "ok", "migrations": "ok", "broker": "ok", "storage": "ok", "worker": "ok"}


@pytest.fixture(autouse=True)
def no_heartbeat(settings):
    """Start with no worker heartbeat on this test's broker (other tests' workers leave theirs until they stop)."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(KEY)
    yield client
    client.delete(KEY)
    client.close()


@pytest.fixture
def beating(settings):
    heartbeat_write(broker_url=settings.CELERY_BROKER_URL, worker="celery@web-test")


def test_a_working_portal_is_ok(client, beating):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "ok", "checks": ALL_OK}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert reverse("health") == URL


def test_a_stale_worker_is_reported_but_the_portal_still_serves(client, settings):
    # Decided (portal/health.py): web nodes serve without workers, so a load balancer must keep them in rotation.
    heartbeat_write(broker_url=settings.CELERY_BROKER_URL, worker="celery@old", now=time.time() - 3600)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {**ALL_OK, "worker": "stale"}}


def test_no_worker_ever_is_stale_too(client):
    body = client.get(URL).json()

    assert body["checks"]["worker"] == "stale"
    assert body["status"] == "ok"


def test_without_a_broker_configured_tasks_run_in_process(client, settings):
    settings.REDIS_URL = None

    body = client.get(URL).json()

    assert body["checks"]["broker"] == "not configured"
    assert body["checks"]["worker"] == "not configured"
    assert body["status"] == "ok"


def test_an_unreachable_broker_is_503_with_statuses_only(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {**ALL_OK, "broker": "error", "worker": "error"},
    }
    assert "127.0.0.1" not in response.content.decode()


def test_a_storage_that_refuses_writes_is_503(client, settings, beating):
    # A documents directory nobody can create: writing fails as on a full or read-only volume.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": "/proc/portal-health-documents"},
        },
    }

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {**ALL_OK, "storage": "error"}}
    assert "/proc" not in response.content.decode()  # the reason stays in the server's log


def test_a_database_failure_is_503(client, monkeypatch):
    def fail():
        raise RuntimeError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", fail)

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"
    assert "refused" not in response.content.decode()


def test_a_migration_not_applied_is_503(client, beating):
    # given: the database is one migration behind the code (the row is back when the test's transaction ends)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations WHERE app = 'programs')"
        )

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {**ALL_OK, "migrations": "pending"}}


def test_only_get_is_answered(client):
    assert client.post(URL).status_code == 405


# --- who reads what ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "owner_focal", "committee"])
def test_everyone_but_administrators_gets_the_statuses_only(client, sign_in, persona, settings, beating):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # a failure, whose reason must not show
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    sign_in(None if persona == "anonymous" else persona)

    response = client.get(URL)

    assert set(response.json()) == {"status", "checks"}
    text = response.content.decode()
    for leak in ("details", "version", "postgresql", "Error", "celery@", "127.0.0.1"):
        assert leak not in text


def test_administrators_get_versions_heartbeats_and_the_kind_of_each_error(client, sign_in, settings, beating):
    sign_in("admin")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]

    body = client.get(URL).json()

    details = body["details"]
    assert details["versions"]["postgresql"] == server_version
    assert set(details["versions"]) == {"portal", "django", "python", "postgresql"}
    assert list(details["worker"]["heartbeat_ages"]) == ["celery@web-test"]
    assert details["worker"]["heartbeat_ages"]["celery@web-test"] < 60
    assert details["migrations"] == {"pending": []}

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    failing = client.get(URL)
    assert failing.status_code == 503
    assert set(failing.json()["details"]["broker"]) == {"error"}  # the exception's class, never its message
    assert "127.0.0.1" not in failing.content.decode()


# --- a real worker's heartbeat -------------------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_running_worker_beats_and_stops_beating_when_it_stops(client, tmp_path, monkeypatch, sign_in, settings):
    monkeypatch.setenv("WORKER_HEARTBEAT_SECONDS", "1")
    worker = Worker(tmp_path)
    name = f"{worker.queue}@"
    sign_in("admin")

    def beats() -> dict:
        return client.get(URL).json()["details"]["worker"].get("heartbeat_ages", {})

    worker.start()
    try:
        # then: the worker beats while it runs
        worker.wait_for(lambda: any(worker_name.startswith(name) for worker_name in beats()), "a heartbeat")
        assert client.get(URL).json()["checks"]["worker"] == "ok"
        first = next(age for worker_name, age in beats().items() if worker_name.startswith(name))
        time.sleep(2.5)
        again = next(age for worker_name, age in beats().items() if worker_name.startswith(name))
        assert again < first + 2  # it beat again in the meantime (every second)
    finally:
        worker.stop()

    # when it stops on purpose, it takes its heartbeat away at once
    assert not any(worker_name.startswith(name) for worker_name in beats())
    assert client.get(URL).json()["checks"]["worker"] == "stale"
