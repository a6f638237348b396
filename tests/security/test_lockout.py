"""Lockout on every password entry point: 5 failures for one username from one address lock that pair for 15
minutes, the right password included; the message is the same for existing and unknown usernames."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from portal.accounts.models import Role
from portal.security.models import SecurityEvent
from portal.security.services import lockout_clear
from tests.factories import DEFAULT_PASSWORD, UserFactory, api_client_for

pytestmark = pytest.mark.django_db

LOCKOUT_MESSAGE = str(settings.AXES_COOLOFF_MESSAGE)
ADDRESS = "192.0.2.10"


@pytest.fixture
def focal(db):
    return UserFactory(username="focal", role=Role.FOCAL_POINT)


@pytest.fixture
def admin(db):
    return UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)


def _web_sign_in(client, username, password, *, url=None, address=ADDRESS):
    return client.post(
        url or reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _token(username, password, *, address=ADDRESS):
    return api_client_for().post(
        reverse("api:token"), {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def _fail(times, username, *, url=None, address=ADDRESS):
    client = Client()
    return [_web_sign_in(client, username, "wrong", url=url, address=address) for _ in range(times)]


# --- the web sign-in ----------------------------------------------------------------------------------------


def test_four_failures_still_let_the_right_password_in(focal):
    _fail(4, "focal")

    response = _web_sign_in(Client(), "focal", DEFAULT_PASSWORD)

    assert response.status_code == 302


@pytest.mark.parametrize("url_name", ["accounts:login", "admin:login"])
def test_after_five_failures_the_right_password_is_refused_with_the_form_and_the_lockout_message(
    url_name, focal, admin
):
    username = "root" if url_name == "admin:login" else "focal"
    url = reverse(url_name)
    _fail(5, username, url=url)
    client = Client()

    response = _web_sign_in(client, username, DEFAULT_PASSWORD, url=url)

    assert response.status_code in (200, 403)
    assert escape(LOCKOUT_MESSAGE) in response.content.decode()
    assert 'name="password"' in response.content.decode()  # the form again, never a redirect into the portal
    assert "_auth_user_id" not in client.session


def test_the_failure_that_locks_answers_with_the_lockout_already(focal):
    responses = _fail(5, "focal")

    assert [escape(LOCKOUT_MESSAGE) in r.content.decode() for r in responses] == [False] * 4 + [True]


def test_the_lockout_shows_one_error_only(focal):
    _fail(5, "focal")

    html = _web_sign_in(Client(), "focal", DEFAULT_PASSWORD).content.decode()

    assert html.count('role="alert"') == 1
    assert "Please enter a correct" not in html


def test_the_message_is_the_same_for_an_unknown_username(focal):
    _fail(5, "focal")
    _fail(5, "nobody-here")

    known = _web_sign_in(Client(), "focal", DEFAULT_PASSWORD)
    unknown = _web_sign_in(Client(), "nobody-here", DEFAULT_PASSWORD)

    assert known.status_code == unknown.status_code
    assert _alert(known) == _alert(unknown) == escape(LOCKOUT_MESSAGE)


def _alert(response) -> str:
    html = response.content.decode()
    start = html.index('role="alert">') + len('role="alert">')
    return html[start : html.index("</div>", start)].replace('<p class="mb-0">', "").replace("</p>", "").strip()


def test_the_lockout_is_per_username_and_address(focal):
    other = UserFactory(username="other")
    _fail(5, "focal")

    # the same username from another address, and another username from the same address, still sign in
    assert _web_sign_in(Client(), "focal", DEFAULT_PASSWORD, address="198.51.100.1").status_code == 302
    assert _web_sign_in(Client(), other.username, DEFAULT_PASSWORD).status_code == 302


def test_the_lockout_covers_every_entry_point_at_once(focal):
    _fail(5, "focal")

    assert _token("focal", DEFAULT_PASSWORD).status_code == 429
    response = _web_sign_in(Client(), "focal", DEFAULT_PASSWORD, url=reverse("admin:login"))
    assert escape(LOCKOUT_MESSAGE) in response.content.decode()


def test_the_lockout_ends_after_the_cool_off(focal):
    _fail(5, "focal")

    # when the failures are 15 minutes old
    locked_at = AccessAttempt.objects.get().attempt_time
    AccessAttempt.objects.update(attempt_time=locked_at - timedelta(minutes=15, seconds=1))

    assert _web_sign_in(Client(), "focal", DEFAULT_PASSWORD).status_code == 302


def test_attempts_while_locked_do_not_prolong_the_lockout(focal):
    _fail(5, "focal")
    locked_at = AccessAttempt.objects.get().attempt_time

    _fail(3, "focal")

    assert AccessAttempt.objects.get().attempt_time == locked_at


def test_clearing_the_lockout_lets_the_right_password_in(focal, admin):
    _fail(5, "focal")

    cleared = lockout_clear(actor=admin, attempt=AccessAttempt.objects.get())

    assert cleared == 1
    assert _web_sign_in(Client(), "focal", DEFAULT_PASSWORD).status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOCKOUT_CLEARED)
    assert (event.actor, event.username, event.details) == (admin, "focal", {"address": ADDRESS})


def test_only_administrators_clear_a_lockout(focal):
    _fail(5, "focal")
    committee = UserFactory(role=Role.COMMITTEE)

    with pytest.raises(PermissionDenied):
        lockout_clear(actor=committee, attempt=AccessAttempt.objects.get())

    assert AccessAttempt.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT_CLEARED).exists()


# --- the API token endpoint ---------------------------------------------------------------------------------


def test_token_endpoint_locks_after_five_failures_with_a_json_answer(focal):
    statuses = [_token("focal", "wrong").status_code for _ in range(4)]

    locking = _token("focal", "wrong")
    right_password = _token("focal", DEFAULT_PASSWORD)

    assert statuses == [400] * 4
    assert locking.status_code == right_password.status_code == 429
    assert right_password.json() == {"detail": LOCKOUT_MESSAGE}
    assert "token" not in right_password.json()


def test_token_endpoint_message_is_the_same_for_an_unknown_username(focal):
    for username in ("focal", "nobody-here"):
        for _ in range(5):
            _token(username, "wrong")

    assert _token("focal", DEFAULT_PASSWORD).json() == _token("nobody-here", DEFAULT_PASSWORD).json()


def test_token_endpoint_works_again_once_the_lockout_is_cleared(focal, admin):
    for _ in range(5):
        _token("focal", "wrong")

    lockout_clear(actor=admin, attempt=AccessAttempt.objects.get())

    response = _token("focal", DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "token" in response.json()
