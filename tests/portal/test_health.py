"""`GET /health/`: 200 with every status "ok" when the portal can serve, 503 when a dependency fails; statuses only."""

import pytest
from django.urls import reverse

from portal import health

pytestmark = pytest.mark.django_db

URL = "/health/"  # the path CONTRACT.md promises


def test_a_working_portal_is_ok(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok", "storage": "ok"}}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert reverse("health") == URL


def test_without_a_broker_configured_tasks_run_in_process(client, settings):
    settings.REDIS_URL = None

    body = client.get(URL).json()

    assert body["checks"]["broker"] == "not configured"
    assert body["status"] == "ok"


def test_an_unreachable_broker_is_503_with_statuses_only(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "ok", "broker": "error", "storage": "ok"}}


def test_a_storage_that_refuses_writes_is_503(client, settings):
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
    assert response.json()["checks"]["storage"] == "error"
    assert "/proc" not in response.content.decode()  # the reason stays in the server's log


def test_a_database_failure_is_503(client, monkeypatch):
    def fail():
        raise RuntimeError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", fail)

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"
    assert "refused" not in response.content.decode()


def test_only_get_is_answered(client):
    assert client.post(URL).status_code == 405
