"""The periodic purge of the security log: rows past the retention go, younger ones stay (the trigger agrees)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from portal.celery import app
from portal.security.models import SecurityEvent
from portal.security.tasks import security_log_purge

pytestmark = pytest.mark.django_db


def _event_aged(days: int) -> int:
    # Written straight in SQL: `at` is set on insert, and the log's rows never change afterwards.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO security_securityevent (at, kind, username, user_agent, details)"
            " VALUES (%s, 'sign_in', %s, '', '{}') RETURNING id",
            [timezone.now() - timedelta(days=days), f"{days}-days"],
        )
        return cursor.fetchone()[0]


def _left() -> list[str]:
    return sorted(SecurityEvent.objects.values_list("username", flat=True))


def test_the_purge_removes_rows_past_the_retention_only(settings):
    settings.SECURITY_LOG_RETENTION_DAYS = 400
    for days in (0, 399, 401, 900):
        _event_aged(days)

    removed = security_log_purge()

    assert removed == 2
    assert _left() == ["0-days", "399-days"]
    assert security_log_purge() == 0  # a second run finds nothing more


def test_the_purge_keeps_what_the_trigger_protects_whatever_the_setting(settings):
    settings.SECURITY_LOG_RETENTION_DAYS = 7
    for days in (8, 29, 31):
        _event_aged(days)

    security_log_purge()

    assert _left() == ["29-days", "8-days"]


def test_the_purge_runs_from_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["security-purge-log"]

    assert entry["task"] == "security.purge_log" and entry["task"] in app.tasks
