"""The session index: every sign-in is listed on its owner's profile, and can be ended there, by an administrator,
or by any change that must end the account's sign-ins (credentials_revoked)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from portal.accounts.models import Role, UserSession
from portal.accounts.services import user_deactivate, user_set_role
from portal.accounts.signals import credentials_revoked
from portal.security.models import SecurityEvent
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-1977"


def browser(user, agent: str = "Firefox") -> Client:
    """A client signed in through the login page, as a person's browser is."""
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:profile")).status_code == 200


@pytest.fixture
def member(orgs):
    return UserFactory(username="anna", role=Role.MEMBER, organization=orgs["owner"])


def test_signing_in_indexes_the_session_and_the_profile_lists_it(member):
    laptop, phone = browser(member, "Laptop browser"), browser(member, "Phone browser")

    sessions = laptop.get(reverse("accounts:profile")).context["sessions"]

    assert sorted(session.user_agent for session in sessions) == ["Laptop browser", "Phone browser"]
    assert {session.session_key for session in sessions} == {laptop.session.session_key, phone.session.session_key}
    assert all(session.ip_address == "127.0.0.1" for session in sessions)


def test_signing_out_drops_the_session_from_the_index(member):
    laptop = browser(member)

    laptop.post(reverse("accounts:logout"))

    assert not UserSession.objects.filter(user=member).exists()


def test_ending_one_session_signs_that_browser_out_only(member):
    laptop, phone = browser(member), browser(member)
    phone_session = UserSession.objects.get(session_key=phone.session.session_key)

    response = laptop.post(reverse("accounts:session_revoke", args=[phone_session.pk]))

    assert response.status_code == 302
    assert not signed_in(phone)
    assert signed_in(laptop)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SESSIONS_REVOKED, user=member).exists()


def test_ending_the_current_session_signs_out_here(member):
    laptop = browser(member)
    own = UserSession.objects.get(session_key=laptop.session.session_key)

    laptop.post(reverse("accounts:session_revoke", args=[own.pk]))

    assert SESSION_KEY not in laptop.session
    assert not signed_in(laptop)


def test_nobody_ends_anothers_session_from_their_profile(member, people):
    phone = browser(member)
    other = browser(people["owner_focal"])
    session = UserSession.objects.get(session_key=phone.session.session_key)

    assert other.post(reverse("accounts:session_revoke", args=[session.pk])).status_code == 404
    assert signed_in(phone)


def test_signing_out_everywhere_ends_every_session(member):
    laptop, phone = browser(member), browser(member)

    response = laptop.post(reverse("accounts:sessions_revoke_all"))

    assert response.status_code == 302
    assert not signed_in(laptop)
    assert not signed_in(phone)
    assert not UserSession.objects.filter(user=member).exists()


@pytest.mark.parametrize("reason", ["password_reset", "revoked_by_admin", "revoked_by_user"])
def test_credentials_revoked_ends_every_session(reason, member):
    laptop, phone = browser(member), browser(member)

    credentials_revoked.send(sender=None, user=member, reason=reason)

    assert not signed_in(laptop)
    assert not signed_in(phone)


def test_deactivation_and_role_change_end_the_sessions(member, people, orgs):
    laptop = browser(member)
    user_set_role(actor=people["admin"], user=member, role=Role.FOCAL_POINT, organization=orgs["owner"])
    assert not signed_in(laptop)

    laptop = browser(member)
    user_deactivate(actor=people["admin"], user=member)
    assert not signed_in(laptop)


def test_the_administrators_revoke_ends_sessions_and_is_logged(member, people, sign_in):
    phone = browser(member)
    client = sign_in("admin")

    assert client.get(reverse("accounts:user_detail", args=[member.pk])).context["sessions"]
    response = client.post(reverse("accounts:user_revoke", args=[member.pk]))

    assert response.status_code == 302
    assert not signed_in(phone)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SESSIONS_REVOKED)
    assert (event.actor, event.user, event.details) == (people["admin"], member, {"scope": "sessions and tokens"})


def test_the_index_follows_the_new_session_key_after_a_password_change(member):
    laptop = browser(member)
    before = laptop.session.session_key

    laptop.post(
        reverse("accounts:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    laptop.get(reverse("accounts:profile"))

    after = laptop.session.session_key
    assert after != before
    assert list(UserSession.objects.filter(user=member).values_list("session_key", flat=True)) == [after]


def test_most_requests_write_nothing_to_the_index(member):
    laptop = browser(member)
    laptop.get(reverse("accounts:profile"))
    seen = UserSession.objects.get(user=member).last_seen

    laptop.get(reverse("accounts:profile"))

    assert UserSession.objects.get(user=member).last_seen == seen


def test_last_seen_is_refreshed_once_the_interval_has_passed(member, settings):
    laptop = browser(member)
    seen = UserSession.objects.get(user=member).last_seen
    settings.SESSION_INDEX_REFRESH_SECONDS = 0

    laptop.get(reverse("accounts:profile"))

    assert UserSession.objects.get(user=member).last_seen > seen
