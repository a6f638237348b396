"""API authentication: tokens, sessions, inactive accounts, anonymous writes, the schema and its docs page."""

import pytest

from portal.accounts.models import ApiToken, Role
from portal.accounts.services import user_deactivate
from tests.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory, api_client_for, api_token_for

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def focal(db):
    return UserFactory(username="focal", role=Role.FOCAL_POINT, organization=OrganizationFactory(acronym="OWNER"))


def test_token_for_good_credentials_then_token_auth(focal):
    response = api_client_for().post(TOKEN_URL, {"username": "focal", "password": DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(user=focal).key_digest == ApiToken.digest_of(token)
    client = api_client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    # the caller's own notifications need a signed-in caller: the token is enough
    assert client.get("/api/v1/notifications/").status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "focal", "password": "wrong"},
        {"username": "nobody", "password": DEFAULT_PASSWORD},
        {"username": "focal"},
        {},
    ],
)
def test_bad_credentials_are_400_without_a_token(payload, focal):
    response = api_client_for().post(TOKEN_URL, payload, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not ApiToken.objects.exists()


def test_inactive_users_get_no_token(focal):
    focal.is_active = False
    focal.save()
    response = api_client_for().post(TOKEN_URL, {"username": "focal", "password": DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_inactive_users_existing_token_is_401(focal):
    _token, key = api_token_for(focal)
    focal.is_active = False
    focal.save()
    client = api_client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    for path in ("/api/v1/programs/", "/api/v1/organizations/", "/api/v1/notifications/"):
        assert client.get(path).status_code == 401


def test_deactivation_revokes_tokens(focal):
    admin = UserFactory(username="root", role=Role.ADMIN)
    client = api_client_for(focal)
    assert client.get("/api/v1/notifications/").status_code == 200
    user_deactivate(actor=admin, user=focal)
    assert client.get("/api/v1/notifications/").status_code == 401


def test_unknown_token_is_401_even_on_public_reads(db):
    client = api_client_for()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/organizations/").status_code == 401


def test_session_auth_works_and_inactive_session_is_anonymous(focal):
    client = api_client_for(focal, token=False)
    assert client.get("/api/v1/notifications/").status_code == 200
    focal.is_active = False
    focal.save()
    assert client.get("/api/v1/notifications/").status_code in (401, 403)
    assert client.get("/api/v1/organizations/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/programs/",
        "/api/v1/contacts/",
        "/api/v1/documents/",
        "/api/v1/events/",
        "/api/v1/interactions/",
        "/api/v1/organizations/",
        "/api/v1/users/",
    ],
)
def test_anonymous_writes_are_401(path, db):
    response = api_client_for().post(path, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_unknown_api_paths_answer_json_404(db):
    response = api_client_for().get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_schema_is_openapi_3_and_describes_errors(db):
    response = api_client_for().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/programs/",
        "/api/v1/programs/{id}/",
        "/api/v1/documents/{id}/download/",
        "/api/v1/organizations/{acronym}/",
        "/api/v1/thematic-areas/{code}/",
        "/api/v1/regions/{code}/",
        "/api/v1/notifications/{id}/read/",
        "/api/v1/users/{id}/deactivate/",
    ):
        assert path in paths, path
    program = paths["/api/v1/programs/{id}/"]
    assert {"401", "403", "404", "400"} <= set(program["patch"]["responses"])
    assert "404" in program["get"]["responses"]
    shared_with = schema["components"]["schemas"]["Program"]["properties"]["shared_with"]
    assert shared_with["nullable"] is True


def test_docs_page_is_served_from_packaged_assets_under_the_csp(db):
    response = api_client_for().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<style" not in html
    assert "http://" not in html and "https://" not in html  # no CDN
    # no inline script: every <script> has a src
    assert html.count("<script") == html.count("<script src=")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    script = api_client_for().get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
