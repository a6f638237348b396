"""Every sign-in event reaches the security log: success, sign-out, failure (the username as typed), lockout."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.security.models import SecurityEvent
from tests.factories import DEFAULT_PASSWORD, UserFactory, api_client_for

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.20"


def _kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))


def test_a_web_sign_in_and_sign_out_are_logged():
    user = UserFactory(username="focal")
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT="Chromium")

    client.post(reverse("accounts:login"), {"username": "focal", "password": DEFAULT_PASSWORD})
    client.post(reverse("accounts:logout"))

    sign_in, sign_out = SecurityEvent.objects.order_by("id")
    assert (sign_in.kind, sign_in.user, sign_in.actor, sign_in.ip_address, sign_in.user_agent) == (
        SecurityEvent.Kind.SIGN_IN,
        user,
        user,
        ADDRESS,
        "Chromium",
    )
    assert (sign_out.kind, sign_out.user, sign_out.username) == (SecurityEvent.Kind.SIGN_OUT, user, "focal")


def test_a_failed_sign_in_keeps_the_username_as_typed_and_never_the_password():
    UserFactory(username="focal")

    Client(REMOTE_ADDR=ADDRESS).post(reverse("accounts:login"), {"username": "Focal", "password": "s3cret-guess"})

    event = SecurityEvent.objects.get()
    assert (event.kind, event.username, event.user, event.actor) == (
        SecurityEvent.Kind.SIGN_IN_FAILED,
        "Focal",
        None,
        None,
    )
    assert "s3cret-guess" not in str(event.details)


def test_a_failed_token_request_is_logged():
    api_client_for().post(reverse("api:token"), {"username": "nobody", "password": "guess"}, format="json")

    assert SecurityEvent.objects.get().username == "nobody"
    assert _kinds() == [SecurityEvent.Kind.SIGN_IN_FAILED]


def test_a_lockout_is_logged_once_and_each_refused_attempt_as_a_failure():
    UserFactory(username="focal")
    client = Client(REMOTE_ADDR=ADDRESS)

    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "focal", "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": "focal", "password": DEFAULT_PASSWORD})

    # (axes counts the fifth failure, and locks, before the log records that failure)
    failed, locked = SecurityEvent.Kind.SIGN_IN_FAILED, SecurityEvent.Kind.LOCKED_OUT
    assert _kinds() == [failed] * 4 + [locked, failed, failed]
    lockout = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOCKED_OUT)
    assert (lockout.username, lockout.ip_address, lockout.details) == ("focal", ADDRESS, {"failures": 5})
