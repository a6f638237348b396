"""Tasks go through a real worker on the real Redis: eager mode is off in tests, as it is wherever REDIS_URL is set."""

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from celery.backends.redis import RedisBackend
from celery.contrib.testing.worker import start_worker
from celery.exceptions import TimeoutError as CeleryTimeoutError
from celery.result import AsyncResult
from celery.signals import task_success
from django.conf import settings

from portal.celery import app
from portal.tasks import ping

pytestmark = pytest.mark.worker

BASE_DIR = Path(__file__).resolve().parents[2]


def _private_queue() -> str:
    # Only this test's messages: tasks other tests queued on this Redis database stay where they are.
    return f"test-ping-{uuid.uuid4().hex}"


def test_the_project_app_uses_the_real_broker_not_eager_mode():
    assert app.conf.task_always_eager is False
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.broker_url.startswith("redis://")
    assert "portal.ping" in app.tasks


def test_ping_runs_in_a_worker_thread_consuming_the_real_redis():
    # given
    queue = _private_queue()
    done = threading.Event()
    seen = {}

    def on_success(sender, result, **kwargs):
        seen.update(result=result, thread=threading.current_thread())
        done.set()

    task_success.connect(on_success, sender=ping, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20):
            # when
            ping.apply_async(queue=queue)
            # then
            assert done.wait(timeout=20), "no worker consumed the task"
    finally:
        task_success.disconnect(on_success, sender=ping)
    assert seen["result"] == "pong"
    assert seen["thread"] is not threading.current_thread()


def test_ping_round_trip_through_a_separate_worker_process():
    # given: the worker `make worker` starts, on this test's Redis database, with a result backend for this test only
    queue = _private_queue()
    result_backend = settings.CELERY_BROKER_URL
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    command = [
        *(sys.executable, "-m", "celery", "-A", "portal", "--result-backend", result_backend, "worker"),
        *("--pool", "solo", "--queues", queue, "--hostname", f"{queue}@%h", "--loglevel", "warning"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    worker = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    backend = RedisBackend(app=app, url=result_backend)
    sent = None
    try:
        # when
        sent = ping.apply_async(queue=queue)
        outcome = AsyncResult(sent.id, backend=backend, app=app).get(timeout=60)
    except CeleryTimeoutError:
        outcome = None
    finally:
        output = _stop(worker)
        if sent is not None:
            backend.client.delete(backend.get_key_for_task(sent.id))
    # then
    assert outcome == "pong", f"the worker process did not answer; its output:\n{output}"


def _stop(worker: subprocess.Popen) -> str:
    worker.terminate()
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return output.decode(errors="replace")
