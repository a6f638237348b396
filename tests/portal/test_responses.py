"""What every answer carries: Permissions-Policy always, no-store for a signed-in user, JSON 500s under the API."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from iros.api import ThematicAreaViewSet
from portal.middleware import PERMISSIONS_POLICY, server_error
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def _cache_control(response) -> set[str]:
    return {directive.strip() for directive in response.get("Cache-Control", "").split(",") if directive.strip()}


def _kept_by_no_cache(response) -> bool:
    return {"private", "no-store"} <= _cache_control(response)


def test_a_signed_in_page_is_never_stored(sign_in):
    response = sign_in("owner_focal").get(reverse("dashboard:home"))

    assert response.status_code == 200
    assert _kept_by_no_cache(response)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_an_api_answer_to_a_token_is_never_stored(people):
    token = (
        Client().post("/api/v1/auth/token/", {"username": "owner-focal", "password": DEFAULT_PASSWORD}).json()["token"]
    )

    response = Client().get("/api/v1/programs/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert _kept_by_no_cache(response)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_a_public_page_for_a_visitor_may_be_cached_but_asks_for_no_device(client, orgs):
    response = client.get(reverse("iros:list"))

    assert response.status_code == 200
    assert "no-store" not in _cache_control(response)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in PERMISSIONS_POLICY
    assert "geolocation=()" in PERMISSIONS_POLICY


def test_an_export_keeps_its_download_headers_and_gets_the_policy(sign_in):
    response = sign_in("committee").get(reverse("programs:export_csv"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_a_server_error_under_the_api_answers_json(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ThematicAreaViewSet, "list", fail)

    response = Client(raise_request_exception=False).get("/api/v1/thematic-areas/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Server error."}
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_a_server_error_on_a_page_answers_the_error_page():
    response = server_error(RequestFactory().get("/organizations/"))

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
