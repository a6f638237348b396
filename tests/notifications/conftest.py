from contextlib import contextmanager

import pytest

from portal.celery import app


@pytest.fixture
def run_queued(monkeypatch, django_capture_on_commit_callbacks):
    """`with run_queued(): …` — what the block queues on commit runs once it ends, in this process, as a worker
    would run it after the commit (tests/notifications/test_delivery.py runs a real worker)."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)

    @contextmanager
    def running():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return running
