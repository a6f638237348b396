"""API throttles from the settings (`API_THROTTLE_ANON`, `API_THROTTLE_USER`, `API_THROTTLE_TOKEN`): 429 with a
JSON body and Retry-After; `off` lets everything through. The test settings turn them off; these tests on."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.settings.base import _throttle_rate
from tests.factories import UserFactory, api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    """Sets throttle rates for one test (DRF reloads its settings; the counts start from nothing)."""

    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None, **rates},
        }
        cache.clear()

    yield set_rates
    cache.clear()


def _assert_throttled(response):
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert int(response["Retry-After"]) > 0


def test_anonymous_callers_are_throttled_by_address(rates):
    rates(anon="3/minute")
    client = api_client_for()
    url = reverse("api:organizations-list")

    statuses = [client.get(url).status_code for _ in range(3)]
    throttled = client.get(url)
    elsewhere = client.get(url, REMOTE_ADDR="198.51.100.7")

    assert statuses == [200] * 3
    _assert_throttled(throttled)
    assert elsewhere.status_code == 200


def test_a_forged_forwarded_address_does_not_escape_the_throttle(rates):
    rates(anon="2/minute")
    client = api_client_for()
    url = reverse("api:organizations-list")

    responses = [client.get(url, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 429]


def test_signed_in_users_are_throttled_by_account_not_by_the_anonymous_rate(rates):
    rates(anon="1/minute", user="2/minute")
    client = api_client_for(UserFactory())
    url = reverse("api:organizations-list")

    statuses = [client.get(url).status_code for _ in range(2)]

    assert statuses == [200, 200]
    _assert_throttled(client.get(url))


def test_the_token_endpoint_has_its_own_stricter_rate(rates):
    rates(anon="100/minute", token="2/minute")
    client = api_client_for()
    url = reverse("api:token")

    # different usernames each time: the lockout (per username) never comes into play
    guesses = [client.post(url, {"username": f"guess{n}", "password": "x"}, format="json") for n in range(3)]

    assert [guess.status_code for guess in guesses[:2]] == [400, 400]
    _assert_throttled(guesses[2])


def test_off_lets_every_request_through(rates):
    rates(anon=None, user=None, token=None)
    client = api_client_for()

    statuses = {client.get(reverse("api:organizations-list")).status_code for _ in range(30)}

    assert statuses == {200}


def test_off_in_the_environment_disables_a_throttle(monkeypatch):
    monkeypatch.setenv("API_THROTTLE_ANON", "off")
    monkeypatch.setenv("API_THROTTLE_USER", "30/minute")

    assert _throttle_rate("API_THROTTLE_ANON", "120/minute") is None
    assert _throttle_rate("API_THROTTLE_USER", "600/minute") == "30/minute"
