"""Every user's profile: name, e-mail, language (saved, and used at once), links to the rest of their account."""

import pytest
from django.conf import settings
from django.urls import reverse

from portal.accounts.models import Language, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(orgs, client):
    user = UserFactory(username="anna", role=Role.MEMBER, organization=orgs["owner"])
    client.force_login(user)
    return user


def test_the_profile_needs_a_signed_in_user(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_profile_offers_the_six_un_languages_in_a_field_named_language(member, client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="language"' in html
    offered = [value for value, _ in response.context["form"].fields["language"].choices if value]
    assert sorted(offered) == ["ar", "en", "es", "fr", "ru", "zh-hans"]
    assert "Notifications" in html
    assert reverse("accounts:password_change") in html


def test_saving_the_profile_stores_the_language_and_sets_the_language_cookie(member, client):
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Anna", "last_name": "Khan", "email": "anna@owner.test", "language": Language.FRENCH},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.last_name, member.email, member.language) == (
        "Anna",
        "Khan",
        "anna@owner.test",
        "fr",
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_an_invalid_profile_changes_nothing(member, client):
    response = client.post(
        reverse("accounts:profile"), {"first_name": "Anna", "email": "not-an-address", "language": "klingon"}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "language"}
    member.refresh_from_db()
    assert member.first_name == ""


@pytest.mark.parametrize(
    ("persona", "sees_accounts"),
    [("admin", True), ("owner_focal", True), ("owner_member", False), ("committee", False)],
)
def test_the_user_menu_links_to_the_profile_and_to_accounts_for_those_who_manage_them(persona, sees_accounts, sign_in):
    client = sign_in(persona)

    html = client.get(reverse("iros:list")).content.decode()

    assert f'href="{reverse("accounts:profile")}"' in html
    assert (f'href="{reverse("accounts:users")}"' in html) is sees_accounts
