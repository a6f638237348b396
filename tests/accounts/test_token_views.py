"""The API tokens page, and the password pages that revoke tokens (the contract: 401 after a password change or
reset through the portal)."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.accounts.models import ApiToken, Role
from portal.accounts.services import api_token_create
from portal.security.models import SecurityEvent
from tests.accounts.test_two_factor import enrolled, verified_sign_in
from tests.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory, api_client_for, api_token_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-1977"
PRIVATE_URL = reverse("api:notifications-list")


@pytest.fixture
def focal():
    return UserFactory(username="focal", role=Role.FOCAL_POINT, organization=OrganizationFactory(acronym="OWNER"))


def api_answer(key: str):
    client = api_client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(PRIVATE_URL)


# --- the tokens page ------------------------------------------------------------------------------------------


def test_the_tokens_page_needs_a_signed_in_user(client):
    for response in (client.get(reverse("accounts:tokens")), client.post(reverse("accounts:token_create"))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_the_tokens_page_lists_only_ones_own_tokens(client, focal):
    api_token_for(focal, name="my export")
    api_token_for(UserFactory(), name="somebody else's")
    client.force_login(focal)

    response = client.get(reverse("accounts:tokens"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "my export" in html
    assert "somebody else" not in html
    assert 'name="name"' in html


def test_a_token_is_created_and_its_key_shown_once(client, focal):
    client.force_login(focal)

    response = client.post(reverse("accounts:token_create"), {"name": "nightly export"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["key"]
    assert key in response.content.decode()
    token = ApiToken.objects.get(user=focal)
    assert (token.name, token.key_digest) == ("nightly export", ApiToken.digest_of(key))
    assert api_answer(key).status_code == 200
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "nightly export" in listing and key not in listing
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_CREATED, user=focal).count() == 1


def test_a_token_needs_a_name(client, focal):
    client.force_login(focal)

    response = client.post(reverse("accounts:token_create"), {"name": ""})

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_without_a_verified_second_factor_no_token_is_made(client, focal, settings):
    # given an account that must sign in with a second factor and has none yet
    settings.PORTAL_2FA_REQUIRED = "privileged"
    client.force_login(focal)

    # when it asks for the tokens page or posts the form, the two-factor middleware sends it to enrolment first
    page = client.get(reverse("accounts:tokens"))
    response = client.post(reverse("accounts:token_create"), {"name": "script"})

    assert page.status_code == response.status_code == 302
    assert page.url.startswith(reverse("accounts:two_factor_enrol"))
    assert not ApiToken.objects.exists()


def test_the_tokens_service_refuses_an_unverified_session_too(focal, settings):
    # The page is not the only guard: the service asks for the second factor itself.
    settings.PORTAL_2FA_REQUIRED = "privileged"

    with pytest.raises(PermissionDenied):
        api_token_create(actor=focal, name="script", second_factor_verified=False)

    assert not ApiToken.objects.exists()


def test_a_session_verified_with_the_second_factor_makes_tokens(client, focal, settings):
    settings.PORTAL_2FA_REQUIRED = "all"
    device, _codes = enrolled(focal)
    verified_sign_in(client, focal, device)

    assert 'name="name"' in client.get(reverse("accounts:tokens")).content.decode()
    response = client.post(reverse("accounts:token_create"), {"name": "script"})

    assert response.status_code == 200
    assert ApiToken.objects.filter(user=focal).count() == 1


def test_revoking_a_token_asks_first_then_revokes_it(client, focal):
    token, key = api_token_for(focal, name="leaked")
    client.force_login(focal)
    url = reverse("accounts:token_revoke", args=[token.pk])

    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "leaked" in confirmation.content.decode()
    assert api_answer(key).status_code == 200

    response = client.post(url)

    assert response.status_code == 302
    assert response.url == reverse("accounts:tokens")
    token.refresh_from_db()
    assert (token.is_revoked, token.revoked_because) == (True, "revoked_by_user")
    assert api_answer(key).json() == {"detail": "This token has been revoked."}
    assert "Revoked" in client.get(reverse("accounts:tokens")).content.decode()


def test_another_users_token_answers_404_like_a_missing_one(client, focal):
    token, key = api_token_for(UserFactory())
    client.force_login(focal)

    hidden = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    missing = client.post(reverse("accounts:token_revoke", args=[10**9]))

    assert hidden.status_code == missing.status_code == 404
    assert api_answer(key).status_code == 200


def test_an_administrator_revokes_another_users_token(client, focal):
    token, key = api_token_for(focal)
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(admin)

    client.post(reverse("accounts:token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert token.revoked_because == "revoked_by_admin"
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TOKEN_REVOKED)
    assert (event.actor, event.user) == (admin, focal)


# --- password change and reset revoke the tokens --------------------------------------------------------------


def test_a_password_change_on_the_web_revokes_the_tokens(client, focal):
    # given
    _token, key = api_token_for(focal)
    client.force_login(focal)
    # when
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    # then
    assert response.status_code == 302
    answer = api_answer(key)
    assert answer.status_code == 401
    assert answer.json() == {"detail": "This token has been revoked."}
    assert ApiToken.objects.get(user=focal).revoked_because == "password_changed"
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CHANGED, user=focal, actor=focal).exists()


def test_a_refused_password_change_keeps_the_tokens(client, focal):
    _token, key = api_token_for(focal)
    client.force_login(focal)

    client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert api_answer(key).status_code == 200
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CHANGED).exists()


def test_a_password_reset_on_the_web_revokes_the_tokens(client, focal):
    # given
    focal.email = "focal@iro.test"
    focal.save()
    _token, key = api_token_for(focal)
    client.post(reverse("accounts:password_reset"), {"email": "focal@iro.test"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    # when
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # then
    assert done.status_code == 302
    assert api_answer(key).json() == {"detail": "This token has been revoked."}
    assert ApiToken.objects.get(user=focal).revoked_because == "password_reset"
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_RESET, user=focal).exists()
