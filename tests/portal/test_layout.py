"""The layout every page shares: navigation by role, home page, error pages, language switch and CSP."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied

from portal.accounts.models import Role
from tests.factories import PERSONAS, OrganizationFactory, persona_user
from tests.world import signed_in

pytestmark = pytest.mark.django_db


def test_landing_page_for_signed_out_visitors(client):
    OrganizationFactory.create_batch(3)

    response = client.get(reverse("dashboard:home"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Welcome · 1540 IRO Portal</title>" in body
    assert reverse("accounts:login") in body
    assert reverse("iros:list") in body
    assert response.context["figures"].organizations == 3


@pytest.mark.parametrize("persona", ["member", "focal_point"])
def test_home_for_iro_users_shows_role_and_organization(client, persona):
    organization = OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    signed_in(client, persona_user(persona, organization))

    body = client.get(reverse("dashboard:home")).content.decode()

    assert str(Role(persona).label) in body
    assert "Organization for Security and Co-operation in Europe" in body
    assert reverse("iros:detail", args=["OSCE"]) in body


@pytest.mark.parametrize("persona", ["committee", "admin"])
def test_home_for_users_without_organization(client, persona):
    signed_in(client, persona_user(persona))

    response = client.get(reverse("dashboard:home"))

    assert response.status_code == 200
    assert str(Role(persona).label) in response.content.decode()
    assert response.context["organization"] is None


def nav_of(response) -> str:
    body = response.content.decode()
    return body[body.index('<nav class="navbar') : body.index("</nav>")]


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("anonymous", ["Organizations", "Coordinators", "Events", "Sign in"], ["Dashboard", "Sign out", "/admin/"]),
        ("member", ["Dashboard", "Organizations", "Sign out"], ["Sign in", "/admin/"]),
        ("focal_point", ["Dashboard", "Organizations", "Sign out"], ["Sign in", "/admin/"]),
        ("committee", ["Dashboard", "Organizations", "Sign out"], ["Sign in", "/admin/"]),
        ("admin", ["Dashboard", "Organizations", "Sign out", "/admin/"], ["Sign in"]),
    ],
)
def test_navigation_follows_the_role(client, persona, shown, hidden):
    signed_in(client, persona_user(persona))

    navigation = nav_of(client.get(reverse("iros:list")))

    for text in shown:
        assert text in navigation, text
    for text in hidden:
        assert text not in navigation, text


def test_current_section_is_marked_in_the_navigation(client):
    navigation = nav_of(client.get(reverse("iros:list")))

    assert f'<a class="nav-link active" href="{reverse("iros:list")}" aria-current="page">' in navigation


def test_links_to_pages_not_written_yet_are_hidden():
    template = Template('{% load portal_tags %}{% nav_url "no_such:page" as url %}[{{ url }}]')

    assert template.render(Context()) == "[]"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_has_the_accessible_layout(client, persona):
    signed_in(client, persona_user(persona))

    body = client.get(reverse("iros:list")).content.decode()

    assert 'href="#content"' in body  # skip link
    assert '<main id="content"' in body
    assert 'aria-label="Breadcrumb"' in body
    assert f'action="{reverse("set_language")}"' in body
    assert '<label class="visually-hidden" for="language-select">' in body
    assert "/static/bootstrap/css/bootstrap.min.css" in body
    assert "<footer" in body


def test_strict_content_security_policy_header(client):
    response = client.get(reverse("dashboard:home"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


# Literal paths on purpose: the public pages CONTRACT.md names, and a missing one.
@pytest.mark.parametrize("url", ["/", "/organizations/", "/coordinators/", "/events/", "/no-such-page/"])
def test_pages_carry_no_inline_script_or_style(client, url):
    body = client.get(url).content.decode()

    assert "<style" not in body
    assert " style=" not in body
    assert "<script>" not in body
    assert " onclick=" not in body and " onchange=" not in body


def test_language_switch_changes_the_language(client):
    directory = reverse("iros:list")

    response = client.post(reverse("set_language"), {"language": "fr", "next": directory})

    assert response.status_code == 302
    assert response["Location"] == directory
    assert client.get(directory).content.decode().startswith("<!doctype html>")
    assert '<html lang="fr"' in client.get(directory).content.decode()


def test_friendly_404_with_a_way_home(client):
    response = client.get("/no-such-page/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in body
    assert "Go to the home page" in body
    assert "<title>Page not found · 1540 IRO Portal</title>" in body


def test_friendly_403_with_a_way_home():
    request = RequestFactory().get("/somewhere/")
    request.user = persona_user("member")

    response = permission_denied(request, exception=None)

    body = response.content.decode()
    assert response.status_code == 403
    assert "You cannot do this" in body
    assert "Go to the home page" in body


def test_500_renders_without_a_request_context():
    body = render_to_string("500.html")

    assert "Something went wrong on our side" in body
    assert f'href="{reverse("dashboard:home")}"' in body


def test_messages_are_bootstrap_alerts():
    messages = [Message(constants.SUCCESS, "Saved."), Message(constants.ERROR, "Refused.")]

    html = render_to_string("includes/messages.html", {"messages": messages})

    assert 'class="alert alert-success alert-dismissible fade show"' in html
    assert 'class="alert alert-danger alert-dismissible fade show"' in html
