"""The six languages: who decides (saved preference > cookie > Accept-Language), `<html lang dir>`, the switcher,
right to left, the API's messages and the e-mails' language."""

import gettext
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core import mail
from django.urls import reverse
from django.utils import translation

from confidentiality import services as sharing
from confidentiality.models import Audience
from portal.accounts import services as account_services
from portal.accounts.models import Language, Role
from portal.notifications import services as notification_services
from portal.notifications import tasks
from portal.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _html_tag(response) -> str:
    body = response.content.decode()
    start = body.index("<html")
    return body[start : body.index(">", start) + 1]


@pytest.fixture
def member(orgs):
    return UserFactory(username="anna", role=Role.MEMBER, organization=orgs["owner"])


def test_the_settings_offer_the_six_languages_each_named_in_itself():
    assert settings.LANGUAGES == [
        ("ar", "العربية"),
        ("en", "English"),
        ("es", "Español"),
        ("fr", "Français"),
        ("ru", "Русский"),
        ("zh-hans", "中文"),
    ]
    # The profile's field offers exactly the languages the portal speaks.
    assert dict(Language.choices) == dict(settings.LANGUAGES)
    assert settings.LANGUAGE_CODE == "en"


# --- who decides ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("zh-CN", "zh-hans"),
        ("zh", "zh-hans"),
        ("zh-Hans", "zh-hans"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-hans"),
        ("ar-EG", "ar"),
        ("fr-CA", "fr"),
        ("ru-RU,ru;q=0.9", "ru"),
        ("es-419", "es"),
        ("de", "en"),
        ("de-DE,fr;q=0.5", "fr"),
    ],
)
def test_an_anonymous_visitor_gets_the_accept_language_they_send(client, accept_language, expected):
    response = client.get(reverse("iros:list"), HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response["Content-Language"] == expected
    assert f'lang="{expected}"' in _html_tag(response)


def test_the_cookie_wins_over_accept_language(client):
    client.cookies[COOKIE] = "es"

    response = client.get(reverse("iros:list"), HTTP_ACCEPT_LANGUAGE="ru")

    assert response["Content-Language"] == "es"


def test_the_saved_preference_wins_over_the_cookie_and_accept_language(client, member):
    # given
    member.language = Language.RUSSIAN
    member.save(update_fields=["language"])
    client.force_login(member)
    client.cookies[COOKIE] = "es"

    # when
    response = client.get(reverse("iros:list"), HTTP_ACCEPT_LANGUAGE="fr")

    # then
    assert response["Content-Language"] == "ru"
    assert _html_tag(response) == '<html lang="ru" dir="ltr">'


def test_without_a_saved_preference_a_signed_in_user_gets_the_cookie_then_accept_language(client, member):
    client.force_login(member)

    assert client.get(reverse("iros:list"), HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "fr"
    client.cookies[COOKIE] = "es"
    assert client.get(reverse("iros:list"), HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "es"


def test_the_language_chosen_on_the_profile_drives_the_pages(client, member):
    client.force_login(member)
    fields = {"first_name": "Anna", "last_name": "Khan", "email": "anna@owner.test"}

    client.post(reverse("accounts:profile"), {**fields, "language": Language.ARABIC})
    # Another browser (no cookie) asking for English still gets the saved Arabic.
    client.cookies.pop(COOKIE)

    response = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en")
    assert _html_tag(response) == '<html lang="ar" dir="rtl">'


# --- the page's language and direction ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "direction", "stylesheet", "other"),
    [
        ("ar", "rtl", "bootstrap.rtl.min.css", "bootstrap.min.css"),
        ("fr", "ltr", "bootstrap.min.css", "bootstrap.rtl.min.css"),
    ],
)
def test_pages_carry_their_language_direction_and_bootstrap_build(client, language, direction, stylesheet, other):
    response = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE=language)

    body = response.content.decode()
    assert _html_tag(response) == f'<html lang="{language}" dir="{direction}">'
    assert f"bootstrap/css/{stylesheet}" in body
    assert f"bootstrap/css/{other}" not in body


def test_the_error_pages_carry_the_language_and_direction(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 404
    assert _html_tag(response) == '<html lang="ar" dir="rtl">'


def test_the_standalone_server_error_page_carries_the_language_and_direction(rf):
    from django.views.defaults import server_error

    with translation.override("ar"):
        body = server_error(rf.get("/")).content.decode()

    assert '<html lang="ar" dir="rtl">' in body
    assert "bootstrap/css/bootstrap.rtl.min.css" in body


def test_the_rtl_stylesheet_is_in_the_static_files():
    from django.contrib.staticfiles import finders

    assert finders.find("bootstrap/css/bootstrap.rtl.min.css")


# --- the switcher -----------------------------------------------------------------------------------------------


def test_the_switcher_lists_the_six_languages_by_their_own_names(client):
    body = client.get(reverse("iros:list")).content.decode()

    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in body
        assert f">{name}</option>" in body


def test_the_switcher_sets_only_the_cookie_for_an_anonymous_visitor(client, member):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("iros:list")})

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "zh-hans"
    member.refresh_from_db()
    assert member.language == ""


def test_the_switcher_saves_a_signed_in_user_s_choice_on_the_profile(client, member):
    client.force_login(member)

    response = client.post(reverse("set_language"), {"language": "ar", "next": reverse("iros:list")})

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "ar"
    member.refresh_from_db()
    assert member.language == Language.ARABIC
    # The choice follows the user to a browser without the cookie.
    client.cookies.pop(COOKIE)
    assert client.get(reverse("iros:list"))["Content-Language"] == "ar"


def test_the_switcher_saves_nothing_for_a_language_the_portal_does_not_speak(client, member):
    # Django ships German messages, so it sets the cookie; the portal does not offer German.
    client.force_login(member)

    client.post(reverse("set_language"), {"language": "de", "next": reverse("iros:list")})

    member.refresh_from_db()
    assert member.language == ""
    assert client.get(reverse("iros:list"))["Content-Language"] == "en"


def test_the_language_service_changes_only_the_language(member):
    member.first_name = "Changed elsewhere"
    account_services.user_language_set(actor=member, language=Language.SPANISH)

    member.refresh_from_db()
    assert (member.first_name, member.language) == ("", Language.SPANISH)


# --- the API ----------------------------------------------------------------------------------------------------


def test_the_api_answers_in_the_accept_language(client):
    refused = client.get(reverse("api:notifications-list"), HTTP_ACCEPT_LANGUAGE="fr")
    invalid = client.post(reverse("api:token"), {}, HTTP_ACCEPT_LANGUAGE="fr")

    assert refused.status_code in (401, 403)
    assert refused.json()["detail"] == "Informations d'authentification non fournies."
    assert refused["Content-Language"] == "fr"
    assert invalid.status_code == 400
    assert "Ce champ est obligatoire." in invalid.json()["username"]


# --- e-mails ----------------------------------------------------------------------------------------------------
# The portal's catalogues are not translated yet, so the tests record the language active while each mail is built.


def _recording_language(monkeypatch, module, name):
    languages = []
    original = getattr(module, name)

    def recording(*args, **kwargs):
        languages.append(translation.get_language())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, recording)
    return languages


def test_a_notification_e_mail_is_written_in_its_recipient_s_language(people, make_program, monkeypatch):
    # given: the recipient reads Russian; the sharing focal point's request is in French
    recipient = people["selected_focal"]
    recipient.language = Language.RUSSIAN
    recipient.save(update_fields=["language"])
    record = make_program(audience=Audience.COMMITTEE)
    sharing.submission_set_audience(
        actor=people["owner_focal"], record=record, audience=Audience.SELECTED, shared_with=["CHOSEN"]
    )
    languages = _recording_language(monkeypatch, notification_services, "_email_for")
    ids = list(Notification.objects.filter(record_id=record.pk, recipient=recipient).values_list("pk", flat=True))

    # when
    with translation.override("fr"):
        tasks.notifications_deliver(ids)

    # then
    assert languages == ["ru"]
    assert [message.to for message in mail.outbox] == [[recipient.email]]


def test_a_notification_e_mail_without_a_saved_language_is_in_the_portal_s_language(people, make_program, monkeypatch):
    record = make_program(audience=Audience.COMMITTEE)
    sharing.submission_set_audience(
        actor=people["owner_focal"], record=record, audience=Audience.SELECTED, shared_with=["CHOSEN"]
    )
    languages = _recording_language(monkeypatch, notification_services, "_email_for")
    ids = list(
        Notification.objects.filter(record_id=record.pk, recipient=people["selected_focal"]).values_list(
            "pk", flat=True
        )
    )

    with translation.override("fr"):
        tasks.notifications_deliver(ids)

    assert languages == ["en"]


def test_an_invitation_e_mail_is_in_the_portal_s_language_not_the_inviter_s(
    people, orgs, monkeypatch, django_capture_on_commit_callbacks
):
    # The invitee has no account and so no saved language yet.
    inviter = people["owner_focal"]
    languages = _recording_language(monkeypatch, account_services, "render_to_string")

    with django_capture_on_commit_callbacks(execute=True), translation.override("ar"):
        account_services.invitation_send(
            actor=inviter, email="new@owner.test", role=Role.MEMBER, organization=orgs["owner"]
        )

    assert languages == ["en", "en"]
    assert [message.to for message in mail.outbox] == [["new@owner.test"]]


def test_a_password_reset_e_mail_is_in_the_account_s_saved_language(client, member, monkeypatch):
    member.email = "anna@owner.test"
    member.language = Language.FRENCH
    member.save(update_fields=["email", "language"])
    languages = _recording_language(monkeypatch, PasswordResetForm, "send_mail")

    client.post(reverse("accounts:password_reset"), {"email": "anna@owner.test"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert languages == ["fr"]


def test_a_password_reset_e_mail_without_a_saved_language_is_in_the_asker_s_language(client, member, monkeypatch):
    member.email = "anna@owner.test"
    member.save(update_fields=["email"])
    languages = _recording_language(monkeypatch, PasswordResetForm, "send_mail")

    client.post(reverse("accounts:password_reset"), {"email": "anna@owner.test"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert languages == ["ru"]


# --- catalogues and stylesheets -----------------------------------------------------------------------------------

LOCALE = settings.BASE_DIR / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def test_every_language_but_the_source_has_a_catalogue():
    assert [path.parent.parent.name for path in CATALOGUES] == ["ar", "es", "fr", "ru", "zh_Hans"]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed (.ci/run installs it)")
@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_the_committed_mo_file_is_its_compiled_catalogue(catalogue, tmp_path):
    # The .mo files are committed (docs/i18n.md): one compiled from an older .po would serve stale translations.
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(catalogue)], check=True)

    with compiled.open("rb") as fresh, catalogue.with_suffix(".mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog


PHYSICAL_DIRECTION = re.compile(
    r"(?:margin|padding|border)-(?:left|right)|(?<![\w-])(?:left|right)\s*:|(?:text-align|float|clear)\s*:\s*(?:left|right)"
)


@pytest.mark.parametrize("stylesheet", sorted((settings.BASE_DIR / "static" / "css").glob("*.css")), ids=str)
def test_the_portal_s_css_uses_logical_directions_only(stylesheet):
    # Bootstrap's RTL build mirrors its own utilities; the portal's CSS must mirror by itself.
    css = re.sub(r"/\*.*?\*/", "", stylesheet.read_text(), flags=re.DOTALL)

    assert PHYSICAL_DIRECTION.findall(css) == []
