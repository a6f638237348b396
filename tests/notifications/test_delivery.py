"""Sharing notifications go through a real Celery worker process on the real Redis.

Eager mode is off. Each test starts `celery worker` as a separate process, on this test worker's own Redis
database (portal/settings/test.py) and a private queue, pointed at the test database, writing e-mails to files.
Tests are transactional: the worker sees only committed rows, and the on-commit queueing really runs. Assertions
read the outbox rows (`delivered_at`, `emailed_at`, `cancelled`) and the e-mail files, never in-memory mail.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery.backends.redis import RedisBackend
from celery.result import AsyncResult
from django.conf import settings
from django.db import connection

from confidentiality import services as sharing
from confidentiality.models import Audience, State
from portal.celery import app
from portal.notifications.models import Notification
from portal.notifications.tasks import notifications_deliver, notifications_sweep

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"
TIMEOUT = 60
TITLE = "CANARY-3f9c Export control outreach in the Sahel"


class Worker:
    """A `celery worker` process consuming a private queue that the notification tasks are routed to."""

    def __init__(self, tmp_path: Path):
        self.queue = f"test-notifications-{uuid.uuid4().hex}"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.log = tmp_path / "worker.log"
        self.broker_url = settings.CELERY_BROKER_URL
        self.backend = RedisBackend(app=app, url=self.broker_url)
        self.process: subprocess.Popen | None = None
        self.results: list[AsyncResult] = []

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "PORTAL_WORKER_DATABASE": connection.settings_dict["NAME"],
            "PORTAL_WORKER_MAIL_DIR": str(self.mail_dir),
        }
        command = [
            *(sys.executable, "-m", "celery", "-A", "portal", "-b", self.broker_url),
            *("--result-backend", self.broker_url, "worker", "--pool", "solo", "--queues", self.queue),
            *("--hostname", f"{self.queue}@%h", "--loglevel", "info"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)

    def send(self, task, *args, **kwargs) -> AsyncResult:
        """Queue a task for this worker and keep its result."""
        result = task.apply_async(args=args, kwargs=kwargs, queue=self.queue)
        self.results.append(result)
        return result

    def result(self, sent: AsyncResult):
        try:
            return AsyncResult(sent.id, backend=self.backend, app=app).get(timeout=TIMEOUT)
        except Exception as error:
            raise AssertionError(f"the worker did not answer ({error!r}); its log:\n{self.output()}") from error

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process is not None and self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the worker's log:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else "(not started)"

    def emails(self) -> list[str]:
        """The e-mails the worker sent (the file backend writes each message followed by a line of dashes)."""
        messages = []
        for path in sorted(self.mail_dir.iterdir()):
            messages += [part for part in path.read_text().split("-" * 79 + "\n") if part.strip()]
        return messages

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        client = self.backend.client
        # the queue, and the exchange binding kombu keeps for it (Celery names the exchange after the queue)
        client.delete(self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}")
        for result in self.results:
            client.delete(self.backend.get_key_for_task(result.id))


@pytest.fixture
def worker(transactional_db, tmp_path):
    handle = Worker(tmp_path)
    routes = app.conf.task_routes
    # Only this test's messages: other tests' (and other runs') tasks on this Redis database stay where they are.
    app.conf.update(task_routes={"notifications.*": {"queue": handle.queue}})
    try:
        yield handle
    finally:
        handle.stop()
        app.conf.update(task_routes=routes)


@contextmanager
def broker_unreachable():
    """Point the project's Celery app at a closed port, as when Redis is down, then put it back."""
    saved = app.conf.broker_url, app._pool, app.amqp._producer_pool
    app.conf.broker_url = CLOSED_PORT_BROKER
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.broker_url, app._pool, app.amqp._producer_pool = saved


@pytest.fixture
def program(orgs, people, make_program):
    return make_program(state=State.SUBMITTED, audience=Audience.COMMITTEE, title=TITLE, summary=TITLE)


def _rows(program):
    return Notification.objects.filter(record_id=program.pk, record_type="programs.program")


def _share_with_chosen(people, program):
    return sharing.submission_set_audience(
        actor=people["owner_focal"], record=program, audience=Audience.SELECTED, shared_with=["CHOSEN"]
    )


def test_eager_mode_is_off_and_the_broker_is_this_test_workers_redis():
    assert app.conf.task_always_eager is False
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.broker_url.startswith("redis://")


def test_sharing_with_a_selected_iro_is_delivered_by_the_worker(worker, people, program):
    # given
    worker.start()
    # when: the share commits; its delivery task is queued on commit
    _share_with_chosen(people, program)
    # then: its members have rows, delivered by the worker
    rows = _rows(program)
    assert sorted(rows.values_list("recipient__username", flat=True)) == ["sel-focal", "sel-member"]
    worker.wait_for(lambda: not rows.filter(delivered_at__isnull=True).exists(), "the rows to be delivered")
    focal = rows.get(recipient=people["selected_focal"])
    member = rows.get(recipient=people["selected_member"])
    assert focal.emailed_at is not None and not focal.cancelled
    assert member.emailed_at is None and not member.cancelled  # members are told in-app only
    # and the focal point's e-mail carries a link, never the content
    [email] = worker.emails()
    assert f"To: {people['selected_focal'].email}" in email
    assert f"{settings.PORTAL_BASE_URL}/programs/{program.pk}/" in email
    assert "CANARY-3f9c" not in email


def test_with_the_broker_down_the_share_succeeds_and_the_sweep_delivers_later(worker, people, program, caplog):
    # given: Redis unreachable while the share commits
    with broker_unreachable(), caplog.at_level(logging.WARNING, logger="portal.kernel.queue"):
        started = time.monotonic()
        # when
        _share_with_chosen(people, program)
        elapsed = time.monotonic() - started
    # then: the change stands, the rows wait in the outbox, and the caller was not kept waiting
    program.refresh_from_db()
    assert program.audience == Audience.SELECTED
    assert list(program.shared_with.values_list("acronym", flat=True)) == ["CHOSEN"]
    assert elapsed < 5, f"the share took {elapsed:.1f}s with the broker down"
    assert "Could not queue notifications.deliver" in caplog.text
    rows = _rows(program)
    assert rows.count() == 2
    assert rows.filter(delivered_at__isnull=True).count() == 2

    # when: the broker is back and the periodic sweep runs in the worker
    worker.start()
    swept = worker.result(worker.send(notifications_sweep, older_than_seconds=0))
    # then
    assert swept == 2
    assert not rows.filter(delivered_at__isnull=True).exists()
    assert rows.get(recipient=people["selected_focal"]).emailed_at is not None
    assert len(worker.emails()) == 1


def test_a_delivery_task_run_twice_sends_one_email(worker, people, program):
    # given: rows in the outbox (no task queued: the broker was down)
    with broker_unreachable():
        _share_with_chosen(people, program)
    ids = sorted(_rows(program).values_list("pk", flat=True))
    # when: the same delivery arrives twice (a redelivered message, or the sweep racing the queued task)
    first = worker.send(notifications_deliver, ids)
    second = worker.send(notifications_deliver, ids)
    worker.start()
    # then
    assert worker.result(first) == {"delivered": 2}
    assert worker.result(second) == {"already delivered": 2}
    focal = _rows(program).get(recipient=people["selected_focal"])
    emailed_at = focal.emailed_at
    assert emailed_at is not None
    assert len(worker.emails()) == 1
    # and once more, later: still one e-mail, same time stamp
    assert worker.result(worker.send(notifications_deliver, ids)) == {"already delivered": 2}
    focal.refresh_from_db()
    assert focal.emailed_at == emailed_at
    assert len(worker.emails()) == 1


def test_a_record_hidden_before_delivery_is_cancelled_not_emailed(worker, people, program):
    # given: shared while no worker runs (the delivery task waits in Redis) ...
    _share_with_chosen(people, program)
    # ... then withdrawn to draft before any worker picked it up
    sharing.submission_withdraw(actor=people["owner_focal"], record=program)
    rows = _rows(program).filter(kind=Notification.Kind.SHARED)
    assert rows.count() == 2
    # when: the worker comes up and takes the queued task
    worker.start()
    worker.wait_for(lambda: not rows.filter(delivered_at__isnull=True).exists(), "the rows to be handled")
    # then
    assert all(row.cancelled and row.emailed_at is None for row in rows)
    assert worker.emails() == []


def test_narrowing_the_selection_before_delivery_cancels_only_the_dropped_organization(worker, people, orgs, program):
    # given: shared with CHOSEN, then the owner switches to OTHER before any worker ran
    _share_with_chosen(people, program)
    sharing.submission_set_audience(
        actor=people["owner_focal"], record=program, audience=Audience.SELECTED, shared_with=["OTHER"]
    )
    # when
    worker.start()
    rows = _rows(program)
    worker.wait_for(lambda: not rows.filter(delivered_at__isnull=True).exists(), "the rows to be handled")
    # then: CHOSEN's rows are cancelled, OTHER's delivered and its focal point e-mailed
    outcome = {row.recipient.username: (row.cancelled, row.emailed_at is not None) for row in rows}
    assert outcome == {
        "sel-focal": (True, False),
        "sel-member": (True, False),
        "other-focal": (False, True),
        "other-member": (False, False),
    }
    [email] = worker.emails()
    assert f"To: {people['other_focal'].email}" in email
