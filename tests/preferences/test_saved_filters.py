"""Saved filters: named, per user, optionally shared inside the owner's organization; applied as a link, deleted
by their owner after a confirmation."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from confidentiality import policies
from confidentiality.models import Audience
from portal.preferences.lists import filter_query, list_kind
from portal.preferences.models import SavedFilter
from portal.preferences.services import saved_filter_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CREATE = "preferences:filter_create"


def save(client, *, name="Ongoing customs", query="q=customs&status=ongoing", list_key="programs", **extra):
    return client.post(reverse(CREATE), {"list": list_key, "name": name, "query": query, **extra})


def panel_names(response) -> list[str]:
    return [entry["filter"].name for entry in response.context["saved_filters"]["entries"]]


def test_a_filter_is_saved_under_a_name_and_applied_by_its_link(client, people, make_program):
    make_program(audience=Audience.PUBLIC, title="Customs training", status="ongoing")
    make_program(audience=Audience.PUBLIC, title="Customs workshop", status="completed")
    client.force_login(people["owner_member"])

    response = save(client, query="status=ongoing&page=3&per_page=50&columns=title&q=customs")

    saved = SavedFilter.objects.get()
    assert (saved.owner, saved.name, saved.query, saved.shared) == (
        people["owner_member"],
        "Ongoing customs",
        "q=customs&status=ongoing",  # no page, no table settings; a stable order
        False,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:list") + "?q=customs&status=ongoing"
    applied = client.get(response["Location"])
    assert [row.record.title for row in applied.context["table"].page.object_list] == ["Customs training"]
    entry = applied.context["saved_filters"]["entries"][0]
    assert entry["is_active"] and entry["url"] == response["Location"]
    assert 'aria-current="true"' in applied.content.decode()


def test_the_save_form_shows_only_when_the_list_is_filtered(client, people):
    client.force_login(people["owner_member"])

    assert client.get(reverse("programs:list")).context["saved_filters"]["form"] is None
    form = client.get(reverse("programs:list"), {"status": "ongoing", "page": "1"}).context["saved_filters"]["form"]
    assert form.initial["query"] == "status=ongoing"


def test_a_name_is_used_once_per_list_and_owner(client, people):
    client.force_login(people["owner_member"])
    save(client)

    response = save(client, query="status=planned")

    assert SavedFilter.objects.count() == 1
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages[-1] == "You already have a filter of this name on this list."
    # another list may use the name
    save(client, list_key="contacts", query="role=assistance")
    assert SavedFilter.objects.count() == 2


def test_an_unknown_list_is_not_found(client, people):
    client.force_login(people["owner_member"])

    assert save(client, list_key="nope").status_code == 404
    assert not SavedFilter.objects.exists()


def test_signed_out_visitors_save_nothing(client):
    response = save(client)

    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert not SavedFilter.objects.exists()


# --- sharing -------------------------------------------------------------------------------------------------


@pytest.fixture
def shared_and_private(people):
    owner = people["owner_focal"]
    return {
        "shared": saved_filter_create(
            actor=owner, list_key="programs", name="Team view", query="status=ongoing", shared=True
        ),
        "private": saved_filter_create(actor=owner, list_key="programs", name="Mine", query="status=planned"),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("owner_focal", ["Mine", "Team view"]),
        ("owner_member", ["Team view"]),  # same organization: the shared one only
        ("selected_member", []),
        ("other_focal", []),
        ("committee", []),
        ("admin", []),
        ("inactive", []),
        ("anonymous", []),
    ],
)
def test_a_shared_filter_is_seen_by_the_owner_s_organization_only(people, shared_and_private, persona, expected):
    visible = policies.visible_to(people[persona], SavedFilter.objects.all())

    assert sorted(saved.name for saved in visible) == expected


def test_the_list_shows_a_colleague_s_shared_filter_with_its_owner(client, people, shared_and_private):
    client.force_login(people["owner_member"])

    response = client.get(reverse("programs:list"))

    assert panel_names(response) == ["Team view"]
    html = response.content.decode()
    assert "shared by owner-focal" in html
    assert reverse("preferences:filter_delete", args=[shared_and_private["shared"].pk]) not in html


def test_a_filter_shared_by_someone_who_left_the_portal_disappears(people, shared_and_private):
    people["owner_focal"].is_active = False
    people["owner_focal"].save()

    assert not policies.visible_to(people["owner_member"], SavedFilter.objects.all()).exists()


def test_only_members_of_an_organization_share(client, people):
    client.force_login(people["committee"])

    page = client.get(reverse("programs:list"), {"status": "ongoing"})
    assert "shared" not in page.context["saved_filters"]["form"].fields
    save(client, shared="on")

    assert SavedFilter.objects.get().shared is False  # the form has no such field for them: nothing shared


def test_a_member_shares_with_its_organization(client, people):
    client.force_login(people["owner_member"])

    save(client, shared="on")

    assert SavedFilter.objects.get().shared is True
    colleague = UserFactory(role="member", organization=people["owner_member"].membership.organization)
    assert policies.visible_to(colleague, SavedFilter.objects.all()).count() == 1


# --- deleting --------------------------------------------------------------------------------------------------


def test_the_owner_deletes_a_filter_after_a_confirmation(client, people, shared_and_private):
    client.force_login(people["owner_focal"])
    url = reverse("preferences:filter_delete", args=[shared_and_private["shared"].pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Delete the filter “Team view”?" in confirm.content.decode()
    assert SavedFilter.objects.count() == 2

    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("programs:list")
    assert list(SavedFilter.objects.values_list("name", flat=True)) == ["Mine"]


@pytest.mark.parametrize(("persona", "status"), [("owner_member", 403), ("other_focal", 404), ("committee", 404)])
def test_nobody_else_deletes_a_filter(client, people, shared_and_private, persona, status):
    client.force_login(people[persona])

    for method in (client.get, client.post):
        assert (
            method(reverse("preferences:filter_delete", args=[shared_and_private["shared"].pk])).status_code == status
        )
        assert method(reverse("preferences:filter_delete", args=[shared_and_private["private"].pk])).status_code == 404
    assert SavedFilter.objects.count() == 2


# --- every list with saved filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("list_key", "query"),
    [("programs", "status=ongoing"), ("contacts", "designated=no&records_page=2"), ("interactions", "kind=meeting")],
)
def test_every_list_with_saved_filters_lists_and_applies_them(client, people, list_key, query):
    client.force_login(people["committee"])

    response = save(client, name="Mine", list_key=list_key, query=query)

    kind = list_kind(list_key)
    expected_query = query.split("&records_page")[0]
    assert response["Location"] == kind.url(expected_query)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert panel_names(page) == ["Mine"]
    assert 'id="saved-filters"' in page.content.decode()


def test_filter_query_keeps_filters_in_a_stable_order():
    kind = list_kind("programs")

    assert filter_query(QueryDict("status=x&page=2&q=a&q=b&region=&per_page=50&columns=title"), kind) == (
        "q=a&q=b&status=x"
    )
