"""A large import run by a real Celery worker process on the real Redis: its progress, its result, its cancel.

The worker (`tests.notifications.test_delivery.Worker`) reports progress in the cache, here Redis shared by the
worker and this test; the test reads it through the page's own selector while the import's transaction is open.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from portal.celery import app
from portal.imports import selectors, services
from portal.imports.models import ImportJob
from portal.settings import test as worker_base_settings
from programs.imports import PROGRAMS
from programs.models import Program
from tests.notifications.test_delivery import TIMEOUT, Worker
from tests.programs.test_import import csv_file

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 300


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    handle = Worker(tmp_path)
    # The worker's cache (tests/notifications/worker_settings.py), so this test reads the progress it reports.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": "worker",
        }
    }
    # The worker's file storage (the suite's own, not this test's temporary one): it reads the job's file there.
    settings.STORAGES = worker_base_settings.STORAGES
    routes = app.conf.task_routes
    app.conf.update(task_routes={"imports.job_run": {"queue": handle.queue}})
    try:
        yield handle
    finally:
        handle.stop()
        app.conf.update(task_routes=routes)


def queue(people, count: int) -> ImportJob:
    """Queue a job as the owner's focal point; its task goes to the worker once the job row commits."""
    file = csv_file([{"Title": f"Worker program {number}"} for number in range(1, count + 1)], name="large.csv")
    return services.import_job_queue(
        importer=PROGRAMS, actor=people["owner_focal"], file=file, organization=None, rows_total=count
    )


def watch(worker: Worker, job: ImportJob, *, until) -> list[int]:
    """The rows done the page would show, read every few milliseconds until `until(job)`."""
    seen = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.append(selectors.import_job_rows_done(job))
        if until(job):
            return seen
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} stayed {job.state}; the worker's log:\n{worker.output()}")


def test_the_worker_reports_progress_then_the_result(worker, people, orgs, client):
    # given
    worker.start()
    # when
    job = queue(people, ROWS)
    seen = watch(worker, job, until=lambda job: job.finished)
    # then: rows done rose while the import's transaction was still open, and nothing showed before the end
    assert any(0 < done < ROWS for done in seen), seen
    assert seen == sorted(seen)
    assert job.state == "done" and job.rows_done == ROWS
    assert job.result == {"dry_run": False, "created": ROWS, "updated": 0, "unchanged": 0, "errors": []}
    assert Program.objects.filter(organization=orgs["owner"], title__startswith="Worker program").count() == ROWS
    client.force_login(people["owner_focal"])
    assert f"{ROWS} created, 0 updated, 0 unchanged." in client.get(job.get_absolute_url()).content.decode()


def test_cancel_while_the_worker_imports_writes_nothing(worker, people, orgs, client):
    # given: the worker is importing
    worker.start()
    job = queue(people, ROWS)
    watch(worker, job, until=lambda job: job.state == "running" and selectors.import_job_rows_done(job) > 0)
    # when: the owner's focal point presses Cancel
    client.force_login(people["owner_focal"])
    assert client.post(reverse("programs:import_job_cancel", args=[job.pk])).status_code == 302
    watch(worker, job, until=lambda job: job.finished)
    # then: the rows written so far are rolled back
    assert job.state == "cancelled"
    assert 0 < job.rows_done < ROWS
    assert not Program.objects.exists()
