"""The inbox: one entry per record and event, entries named through the policy at display time, the pages (mark
read, mark all read, the unread filter), the navbar's unread count, and what each costs in queries."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from confidentiality import services as sharing
from confidentiality.models import Audience, State
from confidentiality.policies import viewer_for
from portal.notifications import tasks
from portal.notifications.models import Notification
from portal.notifications.selectors import notification_entries, notification_inbox_for, notifications_unread_count

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


@pytest.fixture
def focal(people):
    return people["owner_focal"]


def _deliver_all():
    tasks.notifications_deliver(
        list(Notification.objects.filter(delivered_at__isnull=True).values_list("pk", flat=True))
    )


def _notify(user, record, kind=Notification.Kind.SHARED, **fields):
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        record_type=record._meta.label_lower,
        record_id=record.pk,
        delivered_at=timezone.now(),
        **fields,
    )


# --- one entry per record and event -------------------------------------------------------------------------


def test_withdrawing_and_submitting_again_renews_the_entry_instead_of_a_duplicate(people, focal, make_program):
    # given: a program shared with CHOSEN; its members read the notification, its focal point got an e-mail
    record = make_program(state=State.DRAFT, audience=Audience.SELECTED)
    sharing.submission_submit(actor=focal, record=record)
    _deliver_all()
    rows = Notification.objects.filter(record_id=record.pk)
    first = {(row.recipient_id, row.kind): (row.pk, row.created) for row in rows}
    rows.update(read_at=timezone.now())
    assert len(mail.outbox) == 1

    # when: withdrawn to draft, then submitted again
    sharing.submission_withdraw(actor=focal, record=record)
    sharing.submission_submit(actor=focal, record=record)
    _deliver_all()

    # then: the same rows (one per recipient and event), renewed, unread, and no second e-mail
    assert sorted(rows.values_list("recipient__username", "kind")) == [
        ("expert", "new_submission"),
        ("sel-focal", "shared"),
        ("sel-member", "shared"),
    ]
    for row in rows:
        pk, created = first[(row.recipient_id, row.kind)]
        assert row.pk == pk and row.created > created and row.read_at is None and row.delivered_at is not None
    assert len(mail.outbox) == 1
    member = people["selected_member"]
    assert notification_inbox_for(actor=member).count() == 1


def test_an_entry_names_the_record_as_its_page_does(people, make_contact):
    # The reported case: a point of contact read "Senior Adviser, 1540 unit — Shared with your organization", its
    # job title, with no link and no organization.
    contact = make_contact(audience=Audience.ALL_IROS, person="Jane Doe", title="Senior Adviser, 1540 unit")
    member = people["other_member"]
    _notify(member, contact)

    [entry] = notification_entries(actor=member, notifications=notification_inbox_for(actor=member))

    assert (entry.record_kind, entry.title, entry.organization.acronym, entry.url) == (
        "Point of contact",
        "Jane Doe",
        "OWNER",
        reverse("contacts:detail", args=[contact.pk]),
    )
    assert entry.event == "Shared with your organization"


def test_a_record_the_viewer_can_no_longer_see_is_no_longer_available_and_named_nowhere(sign_in, people, make_program):
    visible = make_program(audience=Audience.ALL_IROS, title="Visible customs programme")
    hidden = make_program(audience=Audience.COMMITTEE, title="HIDDEN-CANARY-91 programme")
    member = people["other_member"]
    _notify(member, visible)
    _notify(member, hidden)

    body = sign_in("other_member").get(INBOX).content.decode()

    assert "Visible customs programme" in body
    assert reverse("programs:detail", args=[visible.pk]) in body
    assert "No longer available to you" in body
    assert "HIDDEN-CANARY-91" not in body
    assert reverse("programs:detail", args=[hidden.pk]) not in body


# --- the pages ----------------------------------------------------------------------------------------------


def test_mark_one_read_then_all_read(sign_in, people, make_program):
    member = people["other_member"]
    first, second = (_notify(member, make_program(audience=Audience.ALL_IROS, title=f"P{n}")) for n in range(2))
    client = sign_in("other_member")
    assert f'id="notification-{first.pk}" data-unread="true"' in client.get(INBOX).content.decode()

    # one
    response = client.post(reverse("notifications:read", args=[first.pk]), {"next": INBOX + "?show=unread"})
    assert response.status_code == 302 and response["Location"] == INBOX + "?show=unread"
    first.refresh_from_db()
    assert first.read_at is not None
    unread_page = client.get(INBOX, {"show": "unread"}).content.decode()
    assert f'id="notification-{second.pk}"' in unread_page and f'id="notification-{first.pk}"' not in unread_page

    # all
    response = client.post(reverse("notifications:read_all"), {"next": "https://elsewhere.example/"})
    assert response.status_code == 302 and response["Location"] == INBOX  # never sent to another site
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert "Nothing unread." in client.get(INBOX, {"show": "unread"}).content.decode()


def test_another_person_s_notification_answers_like_a_missing_one(sign_in, people, make_program):
    theirs = _notify(people["selected_member"], make_program(audience=Audience.ALL_IROS))
    client = sign_in("other_member")
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[10**9])).status_code == 404
    client.post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_signed_out_visitors_are_sent_to_sign_in_and_reads_need_a_post(client, sign_in, people, make_program):
    for url in (INBOX, reverse("notifications:settings")):
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    mine = _notify(people["other_member"], make_program(audience=Audience.ALL_IROS))
    signed = sign_in("other_member")
    assert signed.get(reverse("notifications:read", args=[mine.pk])).status_code == 405
    assert signed.get(reverse("notifications:read_all")).status_code == 405


def test_the_inbox_lists_only_delivered_notifications_and_never_digests(people, make_program):
    member = people["other_member"]
    program = make_program(audience=Audience.ALL_IROS)
    _notify(member, program)
    Notification.objects.create(
        recipient=member, kind=Notification.Kind.NEW_SUBMISSION, record_type="programs.program", record_id=program.pk
    )  # not delivered yet
    Notification.objects.create(
        recipient=member,
        kind=Notification.Kind.DIGEST,
        record_type="notifications.digest",
        record_id=0,
        idempotency_key="2031-W01",
        delivered_at=timezone.now(),
    )
    assert list(notification_inbox_for(actor=member).values_list("kind", flat=True)) == ["shared"]
    assert notifications_unread_count(actor=member) == 1


# --- the navbar's count and the query counts ------------------------------------------------------------------


def test_the_unread_count_is_one_query(people, make_program, django_assert_num_queries):
    member = people["other_member"]
    for n in range(3):
        _notify(member, make_program(audience=Audience.ALL_IROS, title=f"P{n}"))
    viewer_for(member)  # a page has asked the policy already: the viewer is cached for the request
    with django_assert_num_queries(1):
        assert notifications_unread_count(actor=member) == 3
    with django_assert_num_queries(0):
        assert notifications_unread_count(actor=None) == 0


def test_the_navbar_shows_the_unread_count_on_every_page(sign_in, people, make_program):
    member = people["other_member"]
    for n in range(3):
        _notify(member, make_program(audience=Audience.ALL_IROS, title=f"P{n}"))
    client = sign_in("other_member")
    for url in (reverse("programs:list"), reverse("dashboard:home"), INBOX):
        body = client.get(url).content.decode()
        assert '<span class="badge rounded-pill text-bg-warning" id="unread-count">3</span>' in body, url
        assert 'aria-label="Notifications: 3 unread"' in body
    client.post(reverse("notifications:read_all"))
    assert 'id="unread-count"' not in client.get(reverse("programs:list")).content.decode()


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_navbar_count_is_one_query_whatever_the_number_of_notifications(sign_in, people, make_program):
    member = people["other_member"]
    client = sign_in("other_member")
    url = reverse("iros:list")
    client.get(url)  # warm the policy's caches
    with_none = _page_queries(client, url)
    for n in range(30):
        _notify(member, make_program(audience=Audience.ALL_IROS, title=f"P{n}"))
    assert _page_queries(client, url) == with_none


# Session, user, the viewer's membership, the page's count and rows, one query per kind of record on the page (its
# organization joined), the navbar's unread count.
INBOX_QUERIES = 8


def test_the_inbox_query_count_is_the_same_for_2_and_25_entries(
    sign_in, people, make_program, make_contact, django_assert_num_queries
):
    member = people["other_member"]

    def notify(count, start):
        for n in range(start, start + count):
            visible = n % 3 != 0
            audience = Audience.ALL_IROS if visible else Audience.COMMITTEE
            if n % 2:
                _notify(member, make_program(audience=audience, title=f"Program {n}"))
            else:
                _notify(
                    member,
                    make_contact(audience=audience, person=f"Person {n}", since=None, until=timezone.localdate()),
                )

    notify(2, 0)
    client = sign_in("other_member")
    client.get(INBOX)
    with django_assert_num_queries(INBOX_QUERIES):
        assert client.get(INBOX).status_code == 200
    notify(23, 2)
    with django_assert_num_queries(INBOX_QUERIES):
        body = client.get(INBOX).content.decode()
    assert body.count('class="list-group-item notification-entry') == 25
