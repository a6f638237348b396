"""API tokens: stored hashed, named, expiring; 401 with a reason when unusable; revoked with the credentials;
made by the password endpoint only for accounts without a second factor, or on the command line."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import ApiToken, Role, User
from portal.accounts.services import (
    TOKEN_USE_PRECISION,
    api_token_create,
    api_token_revoke,
    tokens_revoke_all,
    user_deactivate,
)
from portal.accounts.signals import credentials_revoked
from portal.security.models import SecurityEvent
from tests.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory, api_client_for, api_token_for

pytestmark = pytest.mark.django_db

TOKEN_URL = reverse("api:token")
# Needs a signed-in caller, so a refused token cannot pass for an anonymous visitor.
PRIVATE_URL = reverse("api:notifications-list")


@pytest.fixture
def focal():
    return UserFactory(username="focal", role=Role.FOCAL_POINT, organization=OrganizationFactory(acronym="OWNER"))


@pytest.fixture
def admin():
    return UserFactory(username="root", role=Role.ADMIN)


def client_with(key: str):
    client = api_client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def token_works(key: str) -> bool:
    return client_with(key).get(PRIVATE_URL).status_code == 200


# --- making a token -------------------------------------------------------------------------------------------


def test_a_new_token_keeps_only_the_digest_of_its_key(focal, settings):
    # given
    settings.API_TOKEN_DAYS = 30
    # when
    token, key = api_token_create(actor=focal, name="nightly export", second_factor_verified=False)
    # then
    token.refresh_from_db()
    assert len(key) == 40
    assert token.key_digest == ApiToken.digest_of(key) != key
    assert not ApiToken.objects.filter(key_digest=key).exists()
    assert (token.name, token.user, token.created_by, token.last_used_at, token.revoked_at) == (
        "nightly export",
        focal,
        focal,
        None,
        None,
    )
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert token_works(key)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TOKEN_CREATED)
    assert (event.actor, event.user, event.details["token_name"]) == (focal, focal, "nightly export")
    assert key not in str(event.details)


def test_a_user_who_must_use_a_second_factor_needs_a_verified_session(focal, settings):
    settings.PORTAL_2FA_REQUIRED = "privileged"

    with pytest.raises(PermissionDenied):
        api_token_create(actor=focal, name="script", second_factor_verified=False)
    assert not ApiToken.objects.exists()

    api_token_create(actor=focal, name="script", second_factor_verified=True)
    assert ApiToken.objects.filter(user=focal).count() == 1


def test_a_member_needs_no_second_factor_under_privileged(settings):
    settings.PORTAL_2FA_REQUIRED = "privileged"
    member = UserFactory(role=Role.MEMBER, organization=OrganizationFactory())

    api_token_create(actor=member, name="script", second_factor_verified=False)

    assert ApiToken.objects.filter(user=member).count() == 1


# --- refusals: 401 with a reason ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "This token has expired."),
        ({"revoked_at": timezone.now(), "revoked_because": "revoked_by_user"}, "This token has been revoked."),
    ],
    ids=["expired", "revoked"],
)
@pytest.mark.parametrize("url", [PRIVATE_URL, reverse("api:organizations-list")], ids=["private", "public"])
def test_an_unusable_token_is_401_with_a_json_reason(fields, detail, url, focal):
    _token, key = api_token_for(focal, **fields)

    response = client_with(key).get(url)

    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_is_401_with_a_json_reason(db):
    response = client_with("0" * 40).get(reverse("api:organizations-list"))

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_a_deactivated_accounts_token_is_401(focal):
    _token, key = api_token_for(focal)
    User.objects.filter(pk=focal.pk).update(is_active=False)

    response = client_with(key).get(PRIVATE_URL)

    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


# --- last use -------------------------------------------------------------------------------------------------


def test_last_use_is_recorded_at_most_once_a_minute(focal, django_assert_num_queries):
    token, key = api_token_for(focal)
    client = client_with(key)
    url = reverse("api:regions-list")
    # given: the first request records the first use (the token lookup, then its write)
    with django_assert_num_queries(4):  # token, last use, count, page
        assert client.get(url).status_code == 200
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    # when: requests within the minute
    with django_assert_num_queries(3):  # token, count, page: no write
        assert client.get(url).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first_use
    # then: once the minute has passed, the next request records again
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - TOKEN_USE_PRECISION)
    assert client.get(url).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first_use


# --- revocation -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason", ["password_changed", "password_reset", "deactivated", "role_changed", "revoked_by_admin"]
)
def test_credentials_revoked_revokes_every_usable_token_of_the_user(reason, focal, admin):
    # given
    first, first_key = api_token_for(focal)
    second, second_key = api_token_for(focal)
    earlier = timezone.now() - timedelta(days=1)
    old, _ = api_token_for(focal, revoked_at=earlier, revoked_because="revoked_by_user")
    someone_elses, other_key = api_token_for(admin)
    # when
    credentials_revoked.send(sender=User, user=focal, reason=reason, actor=admin)
    # then
    assert not token_works(first_key) and not token_works(second_key)
    assert token_works(other_key)
    assert set(ApiToken.objects.filter(pk__in=[first.pk, second.pk]).values_list("revoked_because", flat=True)) == {
        reason
    }
    old.refresh_from_db()
    assert (old.revoked_at, old.revoked_because) == (earlier, "revoked_by_user")
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TOKEN_REVOKED)
    assert (event.actor, event.user, event.details) == (admin, focal, {"reason": reason, "count": 2})


def test_nothing_to_revoke_logs_nothing(focal):
    credentials_revoked.send(sender=User, user=focal, reason="role_changed")

    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_REVOKED).exists()


def test_deactivation_revokes_the_tokens(focal, admin):
    token, key = api_token_for(focal)

    user_deactivate(actor=admin, user=focal)

    token.refresh_from_db()
    assert token.revoked_because == "deactivated"
    assert client_with(key).get(PRIVATE_URL).json() == {"detail": "This token has been revoked."}


@pytest.mark.parametrize(("by", "reason"), [("owner", "revoked_by_user"), ("admin", "revoked_by_admin")])
def test_the_owner_or_an_administrator_revokes_all_tokens(by, reason, focal, admin):
    _token, key = api_token_for(focal)

    tokens_revoke_all(actor=focal if by == "owner" else admin, user=focal)

    assert not token_works(key)
    assert ApiToken.objects.get(user=focal).revoked_because == reason


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.MEMBER, Role.COMMITTEE])
def test_nobody_else_revokes_a_users_tokens(role, focal):
    intruder = UserFactory(role=role, organization=focal.membership.organization if role != Role.COMMITTEE else None)
    token, key = api_token_for(focal)

    with pytest.raises(PermissionDenied):
        tokens_revoke_all(actor=intruder, user=focal)
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=intruder, token=token)

    assert token_works(key)
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_REVOKED).exists()


def test_revoking_one_token_leaves_the_others(focal):
    token, key = api_token_for(focal, name="leaked")
    _other, other_key = api_token_for(focal, name="kept")

    api_token_revoke(actor=focal, token=token)

    assert not token_works(key) and token_works(other_key)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TOKEN_REVOKED)
    assert event.details == {"reason": "revoked_by_user", "token_name": "leaked", "token_id": token.pk}


# --- the password token endpoint ------------------------------------------------------------------------------


def test_the_endpoint_makes_a_new_token_at_each_call(focal):
    client = api_client_for()
    credentials = {"username": "focal", "password": DEFAULT_PASSWORD}

    keys = [client.post(TOKEN_URL, credentials, format="json").json()["token"] for _ in range(2)]

    assert keys[0] != keys[1]
    assert all(token_works(key) for key in keys)
    assert list(ApiToken.objects.filter(user=focal).values_list("name", flat=True)) == ["API (password)"] * 2


@pytest.mark.parametrize("mode", ["all", "privileged"])
def test_the_endpoint_refuses_accounts_that_use_a_second_factor(mode, focal, settings):
    settings.PORTAL_2FA_REQUIRED = mode

    response = api_client_for().post(TOKEN_URL, {"username": "focal", "password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 403
    assert "tokens page" in response.json()["detail"]
    assert not ApiToken.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_CREATED).exists()


def test_the_endpoint_serves_a_member_under_privileged(settings):
    settings.PORTAL_2FA_REQUIRED = "privileged"
    UserFactory(username="member", role=Role.MEMBER, organization=OrganizationFactory())

    response = api_client_for().post(TOKEN_URL, {"username": "member", "password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 200
    assert token_works(response.json()["token"])


# --- createportaluser --token ---------------------------------------------------------------------------------


def test_createportaluser_prints_a_new_token_once(monkeypatch, capsys, settings):
    settings.PORTAL_2FA_REQUIRED = "all"  # automation is not asked for a second factor
    monkeypatch.setenv("PORTAL_USER_PASSWORD", "a-long-unusual-passphrase-1540")

    call_command("createportaluser", "robot", "--role", "committee", "--token", "sync job", "--noinput")

    key = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get(user__username="robot")
    assert (token.name, token.created_by, token.key_digest) == ("sync job", None, ApiToken.digest_of(key))
    assert token_works(key)


def test_createportaluser_with_a_token_name_it_refuses_creates_nothing(monkeypatch):
    monkeypatch.setenv("PORTAL_USER_PASSWORD", "a-long-unusual-passphrase-1540")

    with pytest.raises(CommandError, match="name"):
        call_command("createportaluser", "robot", "--role", "committee", "--token", "x" * 101, "--noinput")

    assert not User.objects.filter(username="robot").exists()
