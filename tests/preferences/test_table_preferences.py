"""Remembered table preferences: the program list keeps each user's columns and page size, in the database."""

import pytest
from django.urls import reverse

from confidentiality.models import Audience
from portal.preferences import selectors
from portal.preferences.lists import ListKind, list_params
from portal.preferences.models import ListPreference
from programs.tables import DEFAULT_COLUMNS

pytestmark = pytest.mark.django_db


def columns_shown(response) -> list[str]:
    return [column.name for column in response.context["table"].columns]


@pytest.fixture
def programs(make_program):
    return [make_program(audience=Audience.PUBLIC, title=f"Program {number}") for number in range(30)]


def test_the_columns_and_page_size_chosen_are_applied_when_the_list_opens_without_them(client, people, programs):
    client.force_login(people["owner_member"])
    url = reverse("programs:list")

    chosen = client.get(url, {"columns": ["title", "budget", "created"], "per_page": "50"})
    assert columns_shown(chosen) == ["title", "budget", "created"]

    again = client.get(url)
    assert columns_shown(again) == ["title", "budget", "created"]
    assert again.context["per_page"] == 50
    assert len(again.context["table"].page.object_list) == 30
    # a filter applied later keeps them
    filtered = client.get(url, {"status": "ongoing"})
    assert columns_shown(filtered) == ["title", "budget", "created"]
    assert ListPreference.objects.get(user=people["owner_member"]).values == {
        "columns": "title,budget,created",
        "per_page": "50",
    }


def test_each_user_has_their_own_preferences(client, people, programs):
    client.force_login(people["owner_member"])
    client.get(reverse("programs:list"), {"columns": "title,budget"})

    client.force_login(people["committee"])

    assert columns_shown(client.get(reverse("programs:list"))) == list(DEFAULT_COLUMNS)


def test_reset_forgets_the_columns_but_keeps_the_page_size(client, people, programs):
    client.force_login(people["owner_member"])
    client.get(reverse("programs:list"), {"columns": "title,budget", "per_page": "100"})

    reset = client.get(reverse("programs:list"), {"columns": "default"})

    assert columns_shown(reset) == list(DEFAULT_COLUMNS)
    assert ListPreference.objects.get(user=people["owner_member"]).values == {"per_page": "100"}
    assert columns_shown(client.get(reverse("programs:list"))) == list(DEFAULT_COLUMNS)


def test_the_reset_link_of_the_column_picker_forgets_the_choice(client, people, programs):
    client.force_login(people["owner_member"])

    page = client.get(reverse("programs:list"), {"columns": "title,budget", "status": "ongoing"})

    assert "?status=ongoing&amp;columns=default" in page.content.decode()


@pytest.mark.parametrize(
    "values",
    [
        {"columns": "nonsense,\x00", "per_page": "7"},
        {"columns": "x" * 10_000, "per_page": "-1"},
        {"per_page": "1e9"},
    ],
)
def test_values_the_list_refuses_are_not_remembered(client, people, programs, values):
    client.force_login(people["owner_member"])

    response = client.get(reverse("programs:list"), values)

    assert response.status_code == 200
    assert not ListPreference.objects.exists()


def test_anonymous_visitors_are_remembered_nothing(client, programs):
    response = client.get(reverse("programs:list"), {"columns": "title,budget"})

    assert columns_shown(response) == ["title", "budget"]
    assert not ListPreference.objects.exists()
    assert columns_shown(client.get(reverse("programs:list"))) == list(DEFAULT_COLUMNS)


def test_opening_the_list_again_writes_nothing(client, people, programs):
    client.force_login(people["owner_member"])
    client.get(reverse("programs:list"), {"columns": "title,budget"})
    before = ListPreference.objects.get().updated

    client.get(reverse("programs:list"), {"columns": "title,budget"})

    assert ListPreference.objects.get().updated == before


def test_list_params_is_generic(rf, people):
    kind = ListKind(key="test-list", url_name="programs:list", remembered={"size": lambda v: v if v in "123" else None})
    request = rf.get("/", {"size": "2", "q": "x"})
    request.user = people["committee"]
    assert list_params(request, kind)["size"] == "2"

    later = rf.get("/", {"q": "y"})
    later.user = people["committee"]
    params = list_params(later, kind)

    assert (params["size"], params["q"]) == ("2", "y")
    assert selectors.list_preference_for(actor=people["owner_member"], list_key="test-list") == {}
