"""A focal point must set up two-factor sign-in at the first sign-in, in a real browser, then signs in with a code."""

import base64

import pytest
from django_otp.oath import totp

from portal.accounts.models import Role
from portal.accounts.two_factor import services
from tests.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def authenticator_code(secret_on_the_page: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the secret typed from the page (`steps_ahead` periods from now: the
    portal takes each period's code once, so signing in again at once takes the next one, within its tolerance)."""
    key = base64.b32decode(secret_on_the_page.replace(" ", ""))
    return f"{totp(key, drift=steps_ahead):06d}"


def submit_password(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_focal_point_enrols_at_first_sign_in_then_signs_in_with_a_code(page, settings, console_errors):
    settings.PORTAL_2FA_REQUIRED = "privileged"
    organization = OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    UserFactory(username="fatima", role=Role.FOCAL_POINT, organization=organization)

    # The password alone leads to the enrolment page, not into the portal.
    submit_password(page, "fatima")
    page.wait_for_url("**/accounts/two-factor/enrol/**")
    page.goto("/programs/")
    page.wait_for_url("**/accounts/two-factor/enrol/?next=%2Fprograms%2F")
    assert page.get_by_role("img", name="QR code to scan with the authenticator app").is_visible()
    secret = page.locator("#totp-secret").inner_text()

    # The code an authenticator app computes from that secret turns two-factor sign-in on.
    page.get_by_label("Code").fill(authenticator_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_url("**/accounts/two-factor/backup-codes/**")
    backup_codes = page.locator("#backup-codes code").all_inner_texts()
    assert len(backup_codes) == 10
    page.get_by_role("link", name="I have saved my backup codes").click()
    page.wait_for_url("**/programs/")

    # Signed out, then in again: the password, then a fresh code.
    page.get_by_role("button", name="fatima").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    submit_password(page, "fatima")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    page.get_by_label("Code").fill(authenticator_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert console_errors == []  # no CSP violation on any page


def _link_in(message) -> str:
    return next(word for word in message.body.split() if "/accounts/invitations/" in word)


def test_an_administrator_invites_a_focal_point_who_accepts_enrols_and_signs_back_in_with_a_code(
    page, new_page, settings, live_server, mailoutbox, console_errors
):
    # given two-factor sign-in required of privileged roles, and an administrator who has it on
    settings.PORTAL_2FA_REQUIRED = "privileged"
    settings.PORTAL_BASE_URL = live_server.url
    OrganizationFactory(acronym="ASEAN", name="Association of Southeast Asian Nations")
    admin = UserFactory(username="ada", role=Role.ADMIN)
    device = services.two_factor_enrolment_start(user=admin)
    services.two_factor_enrolment_confirm(user=admin, code=f"{totp(device.bin_key):06d}")

    # the administrator signs in with the password and a code, and invites a focal point of ASEAN
    submit_password(page, "ada")
    page.wait_for_url("**/accounts/two-factor/verify/**")
    page.get_by_label("Code").fill(f"{totp(device.bin_key, drift=1):06d}")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/two-factor/" not in url)
    page.goto("/accounts/users/invite/")
    page.get_by_label("E-mail address").fill("somchai@asean.example")
    page.get_by_label("Role").select_option("focal_point")
    page.get_by_label("Organization").select_option("ASEAN")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    assert len(mailoutbox) == 1
    link = _link_in(mailoutbox[0])

    # the invitee opens the link in another browser, chooses a username and a password
    invitee = new_page()
    invitee.goto(link)
    invitee.fill("input[name=username]", "somchai")
    invitee.fill("input[name=password1]", "a long passphrase for ASEAN 2026")
    invitee.fill("input[name=password2]", "a long passphrase for ASEAN 2026")
    invitee.get_by_role("button", name="Open my account").click()

    # and, as a focal point, must set up two-factor sign-in before any page
    invitee.wait_for_url("**/accounts/two-factor/enrol/**")
    secret = invitee.locator("#totp-secret").inner_text()
    invitee.get_by_label("Code").fill(authenticator_code(secret))
    invitee.get_by_role("button", name="Turn on two-factor sign-in").click()
    invitee.wait_for_url("**/accounts/two-factor/backup-codes/**")
    invitee.get_by_role("link", name="I have saved my backup codes").click()

    # signed out, the new focal point signs back in with the password and a fresh code
    invitee.get_by_role("button", name="somchai").click()
    invitee.get_by_role("button", name="Sign out", exact=True).click()
    invitee.wait_for_load_state()
    invitee.goto("/accounts/login/")
    invitee.fill("input[name=username]", "somchai")
    invitee.fill("input[name=password]", "a long passphrase for ASEAN 2026")
    invitee.get_by_role("button", name="Sign in").click()
    invitee.wait_for_url("**/accounts/two-factor/verify/**")
    invitee.get_by_label("Code").fill(authenticator_code(secret, steps_ahead=1))
    invitee.get_by_role("button", name="Verify").click()
    invitee.wait_for_url(lambda url: "/accounts/" not in url)
    assert "ASEAN" in invitee.content()
    assert console_errors == []
