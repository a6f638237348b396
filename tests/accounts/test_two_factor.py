"""Two-factor sign-in: who must enrol (per setting and role), enrolment, the second step after the password, backup
codes, refused codes in the security log, turning it off, the administrators' reset, and what the middleware
leaves alone (API tokens) or closes (API sessions, the Django admin)."""

import base64
import re

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.accounts.two_factor import flow, services
from portal.accounts.two_factor.selectors import two_factor_enabled, users_with_two_factor_enabled
from portal.security.models import SecurityEvent
from tests.factories import DEFAULT_PASSWORD, UserFactory, api_token_for, persona_user

pytestmark = pytest.mark.django_db

ROLES = ("member", "focal_point", "committee", "admin")
MUST_ENROL = {
    "off": set(),
    "privileged": {"focal_point", "committee", "admin"},
    "all": {"member", "focal_point", "committee", "admin"},
}


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now, or `steps_ahead` periods from now. The device takes a code once
    and then only later ones, within one period of its clock: a test that signs in again right after enrolling
    gives the next period's code, as a person who waits for a new code would."""
    number = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead)
    return f"{number:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code_of(device, steps_ahead=1)) + 1) % 10**6:06d}"


def enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    """`user` with two-factor sign-in on, as the enrolment page leaves it: the device and the backup codes."""
    device = services.two_factor_enrolment_start(user=user)
    return services.two_factor_enrolment_confirm(user=user, code=code_of(device))


def password_sign_in(client, user: User, *, next_url: str = ""):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": DEFAULT_PASSWORD, "next": next_url}
    )
    assert response.status_code == 302, "the password was refused"
    return response


def verified_sign_in(client, user: User, device: TOTPDevice) -> None:
    password_sign_in(client, user)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code_of(device, steps_ahead=1)})
    assert response.status_code == 302, "the code was refused"


def step_url(name: str, next_url: str = "/") -> str:
    return f"{reverse(name)}?next={next_url.replace('/', '%2F')}"


def events(kind: str, user: User):
    return list(SecurityEvent.objects.filter(kind=kind, user=user))


# --- who must enrol ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(MUST_ENROL))
@pytest.mark.parametrize("persona", ROLES)
def test_who_must_enrol_before_reaching_any_page(client, settings, mode, persona):
    settings.PORTAL_2FA_REQUIRED = mode
    user = persona_user(persona)
    password_sign_in(client, user)

    response = client.get(reverse("dashboard:home"))

    if persona in MUST_ENROL[mode]:
        assert response.status_code == 302
        assert response.url == step_url("accounts:two_factor_enrol")
        assert client.get(reverse("programs:list")).url == step_url("accounts:two_factor_enrol", "/programs/")
    else:
        assert response.status_code == 200


def test_a_user_who_owes_enrolment_may_still_enrol_sign_out_and_switch_language(client, settings):
    settings.PORTAL_2FA_REQUIRED = "privileged"
    password_sign_in(client, persona_user("focal_point"))

    assert client.get(reverse("accounts:two_factor_enrol")).status_code == 200
    assert client.get(reverse("accounts:two_factor_verify")).url == step_url("accounts:two_factor_enrol")
    assert client.post(reverse("set_language"), {"language": "fr", "next": "/"}).status_code == 302
    assert client.get(reverse("accounts:password_change")).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 200


# --- enrolment -----------------------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret_then_backup_codes_once(client, settings):
    settings.PORTAL_2FA_REQUIRED = "privileged"
    user = persona_user("focal_point")
    password_sign_in(client, user, next_url="/programs/")
    enrol_page = client.get("/programs/", follow=True)

    body = enrol_page.content.decode()
    assert enrol_page.redirect_chain[-1][0] == step_url("accounts:two_factor_enrol", "/programs/")
    assert 'src="data:image/svg+xml;base64,' in body
    qr_svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', body).group(1)).decode()
    assert "<path" in qr_svg and "style=" not in qr_svg
    assert "style=" not in body and "<script>" not in body
    assert 'autocomplete="one-time-code"' in body and 'inputmode="numeric"' in body
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert base64.b32decode(secret) == device.bin_key
    assert client.get(reverse("accounts:two_factor_enrol")).context["secret"].replace(" ", "") == secret

    # when: the code the app computes from that secret
    response = client.post(
        reverse("accounts:two_factor_enrol") + "?next=%2Fprograms%2F", {"code": code_of(device), "next": "/programs/"}
    )

    assert response.status_code == 302
    assert response.url == step_url("accounts:two_factor_backup_codes", "/programs/")
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response.url)
    shown = [code.replace(" ", "") for code in re.findall(r"<code>([0-9 ]+)</code>", codes_page.content.decode())]
    assert len(shown) == services.BACKUP_CODE_COUNT == len(set(shown))
    assert sorted(shown) == sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert 'href="/programs/"' in codes_page.content.decode()
    assert "<code>" not in client.get(response.url).content.decode()  # shown once
    assert client.get("/programs/").status_code == 200
    assert len(events(SecurityEvent.Kind.TWO_FACTOR_ENROLLED, user)) == 1


def test_a_wrong_code_does_not_enrol_and_is_logged(client):
    user = persona_user("member")
    client.force_login(user)
    client.get(reverse("accounts:two_factor_enrol"))
    device = TOTPDevice.objects.get(user=user)

    response = client.post(reverse("accounts:two_factor_enrol"), {"code": wrong_code(device)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not two_factor_enabled(user)
    assert not StaticDevice.objects.filter(user=user).exists()
    [event] = events(SecurityEvent.Kind.TWO_FACTOR_FAILED, user)
    assert event.details == {"step": "enrolment"}


def test_an_enrolled_user_is_not_enrolled_again(client):
    user = persona_user("member")
    enrolled(user)
    client.force_login(user)

    assert client.get(reverse("accounts:two_factor_enrol")).url == step_url(
        "accounts:two_factor_verify", "/accounts/two-factor/"
    )
    assert TOTPDevice.objects.filter(user=user).count() == 1


# --- the second step -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["off", "privileged"])
def test_the_second_step_follows_the_password_for_whoever_enrolled(client, settings, mode):
    settings.PORTAL_2FA_REQUIRED = mode
    user = persona_user("focal_point")
    device, _codes = enrolled(user)

    login = password_sign_in(client, user, next_url="/programs/")
    assert login.url == "/programs/"
    response = client.get(login.url)
    assert response.url == step_url("accounts:two_factor_verify", "/programs/")
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    verified = client.post(
        reverse("accounts:two_factor_verify"), {"code": code_of(device, steps_ahead=1), "next": "/programs/"}
    )

    assert verified.status_code == 302
    assert verified.url == "/programs/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/programs/").status_code == 200
    assert client.get(reverse("accounts:two_factor_verify")).url == "/"


def test_the_verify_page_never_redirects_off_site(client):
    user = persona_user("member")
    device, _codes = enrolled(user)
    password_sign_in(client, user)

    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": code_of(device, steps_ahead=1), "next": "https://evil.test/"}
    )

    assert response.url == "/"


def test_a_wrong_code_is_refused_logged_and_throttled(client):
    user = persona_user("committee")
    device, _codes = enrolled(user)
    password_sign_in(client, user)

    wrong = client.post(reverse("accounts:two_factor_verify"), {"code": wrong_code(device)})
    garbled = client.post(reverse("accounts:two_factor_verify"), {"code": "not a code"})
    # django-otp then makes the device wait (1 s, 2 s, 4 s…) before it takes even the right code
    throttled = client.post(reverse("accounts:two_factor_verify"), {"code": code_of(device, steps_ahead=1)})

    for response in (wrong, garbled, throttled):
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
        assert 'aria-invalid="true"' in response.content.decode()
    assert "Too many wrong codes" in throttled.content.decode()
    assert client.get(reverse("dashboard:home")).url == step_url("accounts:two_factor_verify")
    failures = events(SecurityEvent.Kind.TWO_FACTOR_FAILED, user)
    assert len(failures) == 3
    assert all(event.details == {"step": "sign_in"} and event.ip_address for event in failures)


def test_a_backup_code_works_once(client):
    user = persona_user("admin")
    _device, codes = enrolled(user)
    password_sign_in(client, user)

    first = client.post(
        reverse("accounts:two_factor_verify"), {"code": f"{codes[0][:4]}-{codes[0][4:8]} {codes[0][8:]}"}
    )
    assert first.status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    password_sign_in(client, user)
    again = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})

    assert again.status_code == 200
    assert again.context["form"].errors["code"]
    assert StaticToken.objects.filter(device__user=user).count() == services.BACKUP_CODE_COUNT - 1
    assert len(events(SecurityEvent.Kind.TWO_FACTOR_FAILED, user)) == 1


def test_security_events_never_hold_a_code(client):
    user = persona_user("member")
    device, codes = enrolled(user)
    password_sign_in(client, user)
    client.post(reverse("accounts:two_factor_verify"), {"code": wrong_code(device)})

    stored = str(list(SecurityEvent.objects.filter(user=user).values()))
    assert wrong_code(device) not in stored
    assert not any(code in stored for code in codes)


# --- the user's own settings ---------------------------------------------------------------------------------


def test_the_settings_page_shows_the_status_and_the_navigation_links_to_it(client):
    user = persona_user("member")
    client.force_login(user)

    off = client.get(reverse("accounts:two_factor"))
    assert off.status_code == 200
    assert reverse("accounts:two_factor_enrol") in off.content.decode()
    assert reverse("accounts:two_factor") in client.get(reverse("iros:list")).content.decode()

    enrolled(user)
    client.force_login(user)
    assert client.get(reverse("accounts:two_factor")).url == step_url(
        "accounts:two_factor_verify", "/accounts/two-factor/"
    )


def test_new_backup_codes_replace_the_old_ones(client):
    user = persona_user("member")
    device, old_codes = enrolled(user)
    verified_sign_in(client, user, device)

    response = client.post(reverse("accounts:two_factor_backup_codes"))

    page = client.get(response.url)
    new_codes = [code.replace(" ", "") for code in re.findall(r"<code>([0-9 ]+)</code>", page.content.decode())]
    assert len(new_codes) == services.BACKUP_CODE_COUNT
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new_codes)
    assert not set(old_codes) & set(new_codes)


def test_a_member_may_turn_it_off_after_confirming(client, settings):
    settings.PORTAL_2FA_REQUIRED = "privileged"
    user = persona_user("member")
    device, _codes = enrolled(user)
    verified_sign_in(client, user, device)
    assert "Turn off" in client.get(reverse("accounts:two_factor_disable")).content.decode()

    response = client.post(reverse("accounts:two_factor_disable"))

    assert response.url == reverse("accounts:two_factor")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert len(events(SecurityEvent.Kind.TWO_FACTOR_DISABLED, user)) == 1
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_whoever_must_use_it_cannot_turn_it_off(client, settings):
    settings.PORTAL_2FA_REQUIRED = "privileged"
    user = persona_user("focal_point")
    device, _codes = enrolled(user)
    verified_sign_in(client, user, device)

    assert reverse("accounts:two_factor_disable") not in client.get(reverse("accounts:two_factor")).content.decode()
    assert client.post(reverse("accounts:two_factor_disable")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.two_factor_disable(user=user)
    assert two_factor_enabled(user)
    assert not events(SecurityEvent.Kind.TWO_FACTOR_DISABLED, user)


def test_a_session_opened_before_enrolling_elsewhere_is_sent_to_the_second_step(client):
    # given: a session signed in with the password alone, then two-factor turned on from another browser
    user = persona_user("member")
    client.force_login(user)
    enrolled(user)
    assert client.get(reverse("dashboard:home")).status_code == 200  # the session's answer is still recent

    # when: the session's answer is older than the recheck interval
    session = client.session
    session[flow.ENABLED_KEY] = [False, 0]
    session.save()

    # then
    assert client.get(reverse("dashboard:home")).url == step_url("accounts:two_factor_verify")


# --- administrators' reset -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "focal_point", "committee"])
def test_only_administrators_reset_two_factor(client, persona):
    target = persona_user("focal_point")
    enrolled(target)
    actor = persona_user(persona)
    client.force_login(actor)

    assert client.get(reverse("accounts:two_factor_reset", args=[target.pk])).status_code == 404
    assert client.post(reverse("accounts:two_factor_reset", args=[target.pk])).status_code == 404
    assert client.get(reverse("accounts:two_factor_reset", args=[actor.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(actor=actor, user=target)
    assert two_factor_enabled(target)
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_RESET).exists()


def test_an_administrator_cannot_reset_their_own(client):
    administrator = persona_user("admin")
    client.force_login(administrator)

    assert client.post(reverse("accounts:two_factor_reset", args=[administrator.pk])).status_code == 403


def test_after_an_administrators_reset_the_user_must_enrol_again(client, settings):
    settings.PORTAL_2FA_REQUIRED = "privileged"
    administrator = persona_user("admin")
    administrator_device, _codes = enrolled(administrator)
    target = persona_user("focal_point")
    enrolled(target)
    verified_sign_in(client, administrator, administrator_device)
    url = reverse("accounts:two_factor_reset", args=[target.pk]) + "?next=%2Fprograms%2F"

    page = client.get(url)
    response = client.post(url)

    assert target.username in page.content.decode()
    assert response.url == "/programs/"
    assert not two_factor_enabled(target)
    [event] = events(SecurityEvent.Kind.TWO_FACTOR_RESET, target)
    assert event.actor == administrator
    client.post(reverse("accounts:logout"))
    password_sign_in(client, target)
    assert client.get(reverse("dashboard:home")).url == step_url("accounts:two_factor_enrol")


def test_two_factor_is_a_column_an_account_list_can_show_and_filter():
    with_it, without_it = UserFactory(), UserFactory()
    enrolled(with_it)
    TOTPDevice.objects.create(user=without_it, confirmed=False)  # a set-up never confirmed does not count

    users = users_with_two_factor_enabled(User.objects.filter(pk__in=[with_it.pk, without_it.pk]))

    assert {user.username: user.two_factor_enabled for user in users} == {
        with_it.username: True,
        without_it.username: False,
    }
    assert list(users.filter(two_factor_enabled=True)) == [with_it]


# --- what the middleware leaves alone and what it closes -----------------------------------------------------


def test_an_api_token_is_not_asked_for_a_second_factor(client, settings):
    settings.PORTAL_2FA_REQUIRED = "all"
    user = persona_user("focal_point")
    _token, key = api_token_for(user)
    password_sign_in(client, user)

    by_session = client.get(reverse("api:programs-list"))
    by_token = client.get(reverse("api:programs-list"), HTTP_AUTHORIZATION=f"Token {key}")
    other_scheme = client.get(reverse("api:programs-list"), HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==")

    assert by_session.status_code == 403
    assert "two-factor" in by_session.json()["detail"]
    assert by_token.status_code == 200
    assert other_scheme.status_code == 403
    client.logout()
    assert client.get(reverse("api:programs-list"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_the_django_admin_asks_for_the_second_factor(client):
    administrator = persona_user("admin")
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    device, _codes = enrolled(administrator)

    response = client.post(
        reverse("admin:login"), {"username": administrator.username, "password": DEFAULT_PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).url == step_url("accounts:two_factor_verify", "/admin/")
    client.post(reverse("accounts:two_factor_verify"), {"code": code_of(device, steps_ahead=1)})

    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_refuses_a_session_that_owes_a_step_even_without_the_middleware(client, rf):
    administrator = persona_user("admin")
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    enrolled(administrator)
    request = rf.get("/admin/")
    request.user = administrator
    administrator.is_verified = lambda: False
    request.session = client.session

    assert not admin.site.has_permission(request)


def test_the_admin_shows_no_device_secrets():
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
