"""The session idle timeout: a session ends after SESSION_IDLE_SECONDS without a request, and each request renews it."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _session_key(client) -> str:
    return client.cookies["sessionid"].value


def test_a_request_pushes_the_expiry_a_whole_idle_period_forward(sign_in, settings):
    # given: a session about to expire, last seen longer ago than the refresh interval
    settings.SESSION_INDEX_REFRESH_SECONDS = 0
    client = sign_in("owner_focal")
    Session.objects.filter(pk=_session_key(client)).update(expire_date=timezone.now() + timedelta(seconds=30))
    # when
    response = client.get(reverse("dashboard:home"))
    # then
    renewed = Session.objects.get(pk=_session_key(client)).expire_date
    assert renewed > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_session_idle_for_longer_is_signed_out(sign_in):
    client = sign_in("owner_focal")
    Session.objects.filter(pk=_session_key(client)).update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse("contacts:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_requests_within_the_refresh_interval_write_no_session(sign_in):
    # given a session seen moments ago
    client = sign_in("owner_focal")
    client.get(reverse("iros:list"))
    expiry = Session.objects.get(pk=_session_key(client)).expire_date

    # when the next request comes within the interval, no session row is written
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("iros:list"))

    assert not [
        query for query in captured.captured_queries if '"django_session"' in query["sql"] and "UPDATE" in query["sql"]
    ]
    assert Session.objects.get(pk=_session_key(client)).expire_date == expiry
