"""The users API: administrators only; create, set role and organization, deactivate."""

import pytest
from django.urls import reverse

from iros.models import Membership
from portal.accounts.models import ApiToken, Role, User
from tests.factories import OrganizationFactory, UserFactory, api_client_for, api_token_for

LIST_URL = reverse("api:users-list")


@pytest.mark.parametrize(
    ("persona", "expected"), [("anonymous", 401), ("owner_focal", 403), ("owner_member", 403), ("committee", 403)]
)
def test_only_administrators_manage_accounts(persona, expected, people):
    client = api_client_for(people[persona])
    target = people["owner_member"]
    before = list(User.objects.order_by("pk").values("username", "role", "is_active"))
    assert client.get(LIST_URL).status_code == expected
    assert client.get(reverse("api:users-detail", args=[target.pk])).status_code == expected
    assert client.post(LIST_URL, {"username": "x", "role": "committee"}, format="json").status_code == expected
    assert (
        client.patch(
            reverse("api:users-detail", args=[target.pk]), {"role": "committee", "organization": None}, format="json"
        ).status_code
        == expected
    )
    assert client.post(reverse("api:users-deactivate", args=[target.pk])).status_code == expected
    assert list(User.objects.order_by("pk").values("username", "role", "is_active")) == before


def test_admin_lists_and_filters(people):
    client = api_client_for(people["admin"])
    body = client.get(LIST_URL).json()
    assert body["count"] == 9  # the world's cast
    focal = next(row for row in body["results"] if row["username"] == "owner-focal")
    assert focal["organization"] == "OWNER"
    assert focal["role"] == "focal_point"
    assert "password" not in focal
    assert client.get(LIST_URL, {"organization": "OWNER"}).json()["count"] == 3
    assert client.get(LIST_URL, {"role": "committee"}).json()["count"] == 1
    assert client.get(reverse("api:users-detail", args=[10**9])).status_code == 404


def test_admin_creates_accounts(people, orgs):
    client = api_client_for(people["admin"])
    response = client.post(
        LIST_URL,
        {"username": "newfocal", "email": "n@example.org", "role": "focal_point", "organization": "OWNER"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["organization"] == "OWNER"
    user = User.objects.get(username="newfocal")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).organization == orgs["owner"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "x", "role": "focal_point"}, "organization"),
        ({"username": "x", "role": "committee", "organization": "OWNER"}, "organization"),
        ({"username": "x", "role": "king"}, "role"),
        ({"username": "x"}, "role"),
        ({"username": "owner-focal", "role": "committee"}, "username"),
        ({"username": "x", "role": "committee", "organization": "NOPE"}, "organization"),
        ({"username": "x", "role": "committee", "password": "123"}, "password"),
        ({"username": "bad name!", "role": "committee"}, "username"),
    ],
)
def test_invalid_accounts_are_400_and_nothing_written(payload, field, people):
    count = User.objects.count()
    response = api_client_for(people["admin"]).post(LIST_URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert User.objects.count() == count


def test_admin_sets_role_and_organization(people, orgs):
    client = api_client_for(people["admin"])
    other = OrganizationFactory(acronym="OTHER")
    member = people["owner_member"]
    response = client.patch(reverse("api:users-detail", args=[member.pk]), {"organization": "OTHER"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["organization"] == "OTHER"
    assert Membership.objects.get(user=member).organization == other
    response = client.patch(
        reverse("api:users-detail", args=[member.pk]), {"role": "committee", "organization": None}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {**response.json(), "role": "committee", "organization": None}
    assert not Membership.objects.filter(user=member).exists()
    # an organization role without an organization is refused
    assert (
        client.patch(reverse("api:users-detail", args=[member.pk]), {"role": "member"}, format="json").status_code
        == 400
    )


def test_admin_cannot_change_own_role_or_deactivate_self(people):
    admin = people["admin"]
    client = api_client_for(admin)
    assert (
        client.patch(reverse("api:users-detail", args=[admin.pk]), {"role": "committee"}, format="json").status_code
        == 400
    )
    assert client.post(reverse("api:users-deactivate", args=[admin.pk])).status_code == 400
    admin.refresh_from_db()
    assert admin.is_active and admin.role == Role.ADMIN


def test_admin_deactivates_and_tokens_go(people):
    focal = people["owner_focal"]
    api_token_for(focal)
    response = api_client_for(people["admin"]).post(reverse("api:users-deactivate", args=[focal.pk]))
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert list(ApiToken.objects.filter(user=focal).values_list("revoked_because", flat=True)) == ["deactivated"]


@pytest.mark.parametrize("count", [1, 200])
def test_user_list_query_count_is_constant(count, people, orgs, django_assert_num_queries):
    for index in range(count):
        UserFactory(username=f"bulk-{index}", role=Role.MEMBER, organization=orgs["owner"])
    client = api_client_for(people["admin"])
    # token, its first use recorded, count, page (membership and organization joined)
    with django_assert_num_queries(4):
        response = client.get(LIST_URL, {"page_size": 200})
    assert response.json()["count"] == count + 9
