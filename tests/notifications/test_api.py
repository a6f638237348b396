"""The notifications API: the caller's own, only for records it may still see; mark as read."""

import pytest
from django.urls import reverse
from django.utils import timezone

from confidentiality.models import Audience, State
from confidentiality.services import grants_write, submission_set_audience
from contacts.reminders import demarche_follow_up_reminders
from portal.accounts.models import Role
from portal.notifications.models import Notification
from tests.factories import DemarcheFactory, OrganizationFactory, ProgramFactory, UserFactory, api_client_for

LIST_URL = reverse("api:notifications-list")


@pytest.fixture
def setup(db):
    owner, chosen = OrganizationFactory(acronym="OWNER"), OrganizationFactory(acronym="CHOSEN")
    focal = UserFactory(username="owner-focal", role=Role.FOCAL_POINT, organization=owner)
    reader = UserFactory(username="reader", role=Role.MEMBER, organization=chosen)
    someone = UserFactory(username="someone", role=Role.MEMBER, organization=chosen)
    program = ProgramFactory(organization=owner, state=State.SUBMITTED, audience=Audience.SELECTED)
    program.shared_with.set([chosen])
    grants_write(program)
    mine = Notification.objects.create(
        recipient=reader,
        kind=Notification.Kind.SHARED,
        record_type="programs.program",
        record_id=program.pk,
        delivered_at=timezone.now(),
    )
    theirs = Notification.objects.create(
        recipient=someone,
        kind=Notification.Kind.SHARED,
        record_type="programs.program",
        record_id=program.pk,
        delivered_at=timezone.now(),
    )
    undelivered = Notification.objects.create(
        recipient=reader, kind=Notification.Kind.NEW_SUBMISSION, record_type="programs.program", record_id=program.pk
    )
    return {
        "focal": focal,
        "reader": reader,
        "program": program,
        "mine": mine,
        "theirs": theirs,
        "undelivered": undelivered,
    }


def test_anonymous_gets_401(setup):
    assert api_client_for().get(LIST_URL).status_code == 401
    assert api_client_for().post(reverse("api:notifications-read", args=[setup["mine"].pk])).status_code == 401


def test_only_my_delivered_notifications(setup):
    client = api_client_for(setup["reader"])
    body = client.get(LIST_URL).json()
    assert [row["id"] for row in body["results"]] == [setup["mine"].pk]
    assert body["results"][0]["url"].endswith(reverse("programs:detail", args=[setup["program"].pk]))
    # someone else's is 404, exactly like a missing one
    assert client.get(reverse("api:notifications-detail", args=[setup["theirs"].pk])).status_code == 404
    assert client.post(reverse("api:notifications-read", args=[setup["theirs"].pk])).status_code == 404
    assert client.post(reverse("api:notifications-read", args=[10**9])).status_code == 404
    setup["theirs"].refresh_from_db()
    assert setup["theirs"].read_at is None


def test_mark_read(setup):
    client = api_client_for(setup["reader"])
    response = client.post(reverse("api:notifications-read", args=[setup["mine"].pk]))
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert client.get(LIST_URL, {"unread": "true"}).json()["count"] == 0
    assert client.get(LIST_URL, {"unread": "false"}).json()["count"] == 1


def test_notifications_of_records_no_longer_visible_disappear(setup):
    client = api_client_for(setup["reader"])
    assert client.get(LIST_URL).json()["count"] == 1
    # the owner narrows the audience back to the Committee
    submission_set_audience(actor=setup["focal"], record=setup["program"], audience=Audience.COMMITTEE)
    assert client.get(LIST_URL).json()["count"] == 0
    assert client.get(reverse("api:notifications-detail", args=[setup["mine"].pk])).status_code == 404


@pytest.mark.parametrize("count", [1, 200])
def test_notification_list_query_count_is_constant(count, setup, django_assert_num_queries):
    for _ in range(count - 1):
        program = ProgramFactory(
            organization=setup["program"].organization, state=State.SUBMITTED, audience=Audience.SELECTED
        )
        program.shared_with.set(setup["program"].shared_with.all())
        grants_write(program)
        Notification.objects.create(
            recipient=setup["reader"],
            kind=Notification.Kind.SHARED,
            record_type="programs.program",
            record_id=program.pk,
            delivered_at=timezone.now(),
        )
    client = api_client_for(setup["reader"])
    with django_assert_num_queries(6):  # token, its first use recorded, membership, record kinds named, count, page
        response = client.get(LIST_URL, {"page_size": 200})
    assert response.json()["count"] == count


@pytest.mark.django_db
def test_follow_ups_due_are_listed_with_a_link_to_the_demarche():
    # given a Committee expert with a follow-up due on a demarche (a record that is not a submission)
    expert = UserFactory(role=Role.COMMITTEE)
    demarche = DemarcheFactory(follow_up_due=timezone.localdate())
    demarche_follow_up_reminders()

    # when the expert lists its notifications through the API
    results = api_client_for(expert).get(reverse("api:notifications-list")).json()["results"]

    # then the follow-up is there, linking to the demarche's page (not a hard-coded path)
    assert [(row["kind"], row["record_id"]) for row in results] == [("follow_up_due", demarche.pk)]
    assert results[0]["url"].endswith(reverse("contacts:demarche_answer", args=[demarche.pk]))
