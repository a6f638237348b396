"""The security pages: administrators read the log (filtered, newest first, exported) and clear lockouts; for
everyone else signed in they are missing pages, and a signed-out visitor is sent to sign in."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.security.models import SecurityEvent
from portal.security.services import security_event_record

pytestmark = pytest.mark.django_db

PAGES = ["security:log", "security:log_export_csv", "security:log_export_xlsx", "security:lockouts"]
NOT_ADMINS = ["owner_focal", "owner_member", "committee"]
SIGNED_OUT = ["anonymous", "inactive"]  # a deactivated account browses as an anonymous visitor


def _lock_out(username: str, address: str = "192.0.2.30") -> AccessAttempt:
    client = Client(REMOTE_ADDR=address)
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": username, "password": "wrong"})
    return AccessAttempt.objects.get(username=username, ip_address=address)


@pytest.mark.parametrize("name", PAGES)
def test_administrators_open_every_security_page(name, sign_in):
    assert sign_in("admin").get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_the_pages_are_missing_for_everyone_else(name, persona, sign_in):
    assert sign_in(persona).get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", SIGNED_OUT)
def test_a_signed_out_visitor_is_sent_to_sign_in(name, persona, sign_in):
    response = sign_in(persona).get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_navbar_links_the_security_log_for_administrators_only(sign_in):
    link = f'href="{reverse("security:log")}"'

    assert link in sign_in("admin").get(reverse("iros:list")).content.decode()
    assert link not in sign_in("committee").get(reverse("iros:list")).content.decode()


# --- the log ------------------------------------------------------------------------------------------------


def test_the_log_lists_newest_first_and_filters_by_kind_username_and_dates(sign_in, people):
    security_event_record(SecurityEvent.Kind.SIGN_IN_FAILED, username="first-guess")
    security_event_record(SecurityEvent.Kind.SIGN_IN_FAILED, username="second-guess")
    security_event_record(SecurityEvent.Kind.PASSWORD_CHANGED, user=people["owner_focal"])
    client = sign_in("admin")
    url = reverse("security:log")

    page = client.get(url).content.decode()
    failures = client.get(url, {"kind": SecurityEvent.Kind.SIGN_IN_FAILED}).content.decode()
    by_name = client.get(url, {"username": "second"}).content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = client.get(url, {"since": tomorrow}).content.decode()

    assert page.index("second-guess") < page.index("first-guess")
    assert "first-guess" in failures and "owner-focal" not in failures
    assert "second-guess" in by_name and "first-guess" not in by_name
    assert "first-guess" not in future and "No event matches these filters" in future


def test_invalid_filters_answer_a_page_not_an_error(sign_in):
    response = sign_in("admin").get(reverse("security:log"), {"since": "not-a-date", "kind": "nothing", "page": "x"})

    assert response.status_code == 200


def test_the_csv_export_follows_the_filter_and_neutralises_formulas(sign_in):
    security_event_record(SecurityEvent.Kind.SIGN_IN_FAILED, username="=HYPERLINK(1)")
    security_event_record(SecurityEvent.Kind.SIGN_IN, username="kept-out")

    response = sign_in("admin").get(reverse("security:log_export_csv"), {"kind": SecurityEvent.Kind.SIGN_IN_FAILED})

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Disposition"].startswith('attachment; filename="security-log-')
    assert response["Cache-Control"] == "private, no-store"
    assert body.splitlines()[0].startswith("At,Event,Username")
    assert "'=HYPERLINK(1)" in body
    assert "kept-out" not in body


def test_the_xlsx_export_is_a_workbook(sign_in):
    security_event_record(SecurityEvent.Kind.SIGN_IN_FAILED, username="someone")

    response = sign_in("admin").get(reverse("security:log_export_xlsx"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


# --- lockouts -----------------------------------------------------------------------------------------------


def test_the_lockouts_page_lists_locked_pairs_only(sign_in, db):
    _lock_out("locked-name")
    Client(REMOTE_ADDR="192.0.2.31").post(reverse("accounts:login"), {"username": "one-slip", "password": "wrong"})

    page = sign_in("admin").get(reverse("security:lockouts")).content.decode()

    assert "locked-name" in page and "192.0.2.30" in page
    assert "one-slip" not in page


def test_clearing_asks_first_then_clears_and_logs(sign_in, people):
    attempt = _lock_out("locked-name")
    client = sign_in("admin")
    url = reverse("security:lockout_clear", args=[attempt.pk])

    confirmation = client.get(url)
    assert confirmation.status_code == 200 and "locked-name" in confirmation.content.decode()
    assert AccessAttempt.objects.exists()

    response = client.post(url)

    assert response.status_code == 302 and response["Location"] == reverse("security:lockouts")
    assert not AccessAttempt.objects.exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOCKOUT_CLEARED)
    assert (event.actor, event.username) == (people["admin"], "locked-name")
    assert client.post(url).status_code == 404  # already cleared: like a missing one


@pytest.mark.parametrize("persona", NOT_ADMINS + SIGNED_OUT)
def test_nobody_else_clears_a_lockout(persona, sign_in):
    attempt = _lock_out("locked-name")
    url = reverse("security:lockout_clear", args=[attempt.pk])
    client = sign_in(persona)

    refused = {client.get(url).status_code, client.post(url).status_code}

    assert refused == ({302} if persona in SIGNED_OUT else {404})
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT_CLEARED).exists()


def test_an_expired_lockout_is_neither_listed_nor_cleared(sign_in):
    attempt = _lock_out("locked-name")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    client = sign_in("admin")

    assert "locked-name" not in client.get(reverse("security:lockouts")).content.decode()
    assert client.post(reverse("security:lockout_clear", args=[attempt.pk])).status_code == 404
