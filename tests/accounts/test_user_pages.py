"""The administrators' accounts pages: list and filters, the role change and its confirmation, deactivation."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iros.models import Membership
from portal.accounts.models import Role, User
from portal.security.models import SecurityEvent
from tests.accounts.test_two_factor import enrolled
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def usernames(response) -> set[str]:
    return {user.username for user in response.context["page_obj"].object_list}


@pytest.fixture
def admin_client(people, sign_in):
    return sign_in("admin")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"role": "committee"}, {"expert"}),
        ({"organization": "CHOSEN"}, {"sel-focal", "sel-member"}),
        ({"is_active": "false"}, {"inactive"}),
        ({"q": "OTHER-"}, {"other-focal", "other-member"}),
        ({"last_sign_in": "7"}, {"owner-member", "administrator"}),  # the administrator has just signed in
        ({"last_sign_in": "dormant", "organization": "OWNER"}, {"owner-focal", "inactive"}),
    ],
)
def test_the_list_filters(query, expected, people, admin_client):
    User.objects.filter(pk=people["owner_member"].pk).update(last_login=timezone.now() - timedelta(days=1))
    User.objects.filter(pk=people["owner_focal"].pk).update(last_login=timezone.now() - timedelta(days=200))

    response = admin_client.get(reverse("accounts:users"), query)

    assert response.status_code == 200
    assert usernames(response) == expected


def test_the_list_shows_and_filters_the_two_factor_status(people, admin_client):
    enrolled(people["owner_focal"])

    on = admin_client.get(reverse("accounts:users"), {"two_factor": "true"})
    off = admin_client.get(reverse("accounts:users"), {"two_factor": "false"})

    assert [user.username for user in on.context["page_obj"]] == [people["owner_focal"].username]
    assert people["owner_focal"].username not in [user.username for user in off.context["page_obj"]]


def test_the_list_costs_the_same_queries_for_more_accounts(orgs, admin_client):
    admin_client.get(reverse("accounts:users"))  # the filter's organization options are built, then kept
    with CaptureQueriesContext(connection) as first:
        admin_client.get(reverse("accounts:users"))
    for number in range(10):
        UserFactory(role=Role.MEMBER, organization=orgs["other"], username=f"more{number}")

    with CaptureQueriesContext(connection) as second:
        admin_client.get(reverse("accounts:users"))

    assert len(second) == len(first)


# --- role and organization -----------------------------------------------------------------------------------


def test_a_role_change_is_confirmed_with_what_access_changes_before_anything_is_saved(people, orgs, admin_client):
    member = people["owner_member"]
    url = reverse("accounts:user_role", args=[member.pk])

    response = admin_client.post(url, {"role": Role.COMMITTEE, "organization": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert "will stop seeing OWNER&#x27;s drafts" in html
    assert "will see every submitted record as a Committee expert" in html
    member.refresh_from_db()
    assert member.role == Role.MEMBER
    assert not SecurityEvent.objects.exclude(kind=SecurityEvent.Kind.SIGN_IN).exists()

    confirmed = admin_client.post(url, {"role": Role.COMMITTEE, "organization": "", "confirm": "1"})

    assert confirmed.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.COMMITTEE
    assert not Membership.objects.filter(user=member).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ROLE_CHANGED)
    assert (event.actor, event.user) == (people["admin"], member)
    assert event.details == {
        "old_role": "member",
        "new_role": "committee",
        "old_organization": "OWNER",
        "new_organization": None,
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": Role.COMMITTEE, "organization": "OWNER"}, "does not belong to an organization"),
        ({"role": Role.ADMIN, "organization": "OTHER"}, "does not belong to an organization"),
        ({"role": Role.FOCAL_POINT, "organization": ""}, "must belong to an organization"),
    ],
)
def test_an_inconsistent_role_and_organization_is_a_field_error_even_if_confirmed(data, message, people, admin_client):
    member = people["owner_member"]

    response = admin_client.post(reverse("accounts:user_role", args=[member.pk]), {**data, "confirm": "1"})

    assert response.status_code == 200
    assert message in response.context["form"].errors["organization"][0]
    member.refresh_from_db()
    assert member.role == Role.MEMBER
    assert member.membership.organization.acronym == "OWNER"


def test_choosing_the_current_role_again_says_nothing_would_change(people, admin_client):
    member = people["owner_member"]

    url = reverse("accounts:user_role", args=[member.pk])

    response = admin_client.post(url, {"role": "member", "organization": "OWNER"})

    assert "nothing would change" in response.content.decode()
    assert not SecurityEvent.objects.exclude(kind=SecurityEvent.Kind.SIGN_IN).exists()


def test_an_administrator_cannot_change_their_own_role(people, admin_client):
    assert admin_client.get(reverse("accounts:user_role", args=[people["admin"].pk])).status_code == 403


# --- deactivation ---------------------------------------------------------------------------------------------


def test_deactivation_asks_first_then_closes_the_account_and_logs_it(people, admin_client):
    member = people["owner_member"]
    url = reverse("accounts:user_deactivate", args=[member.pk])

    page = admin_client.get(url)
    assert page.status_code == 200
    assert "can no longer sign in" in page.content.decode()
    member.refresh_from_db()
    assert member.is_active

    assert admin_client.post(url).status_code == 302
    member.refresh_from_db()
    assert not member.is_active

    assert admin_client.post(reverse("accounts:user_reactivate", args=[member.pk])).status_code == 302
    member.refresh_from_db()
    assert member.is_active
    kinds = list(
        SecurityEvent.objects.exclude(kind=SecurityEvent.Kind.SIGN_IN).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == [SecurityEvent.Kind.DEACTIVATED, SecurityEvent.Kind.REACTIVATED]


def test_deactivating_ones_own_account_is_refused(people, admin_client):
    assert admin_client.get(reverse("accounts:user_deactivate", args=[people["admin"].pk])).status_code == 403
    people["admin"].refresh_from_db()
    assert people["admin"].is_active


def test_the_detail_page_offers_the_actions_the_caller_may_take(people, admin_client):
    html = admin_client.get(reverse("accounts:user_detail", args=[people["owner_member"].pk])).content.decode()

    assert reverse("accounts:user_role", args=[people["owner_member"].pk]) in html
    assert reverse("accounts:user_deactivate", args=[people["owner_member"].pk]) in html
    assert reverse("accounts:user_revoke", args=[people["owner_member"].pk]) in html
