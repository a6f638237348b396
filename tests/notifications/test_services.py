"""The outbox without a worker: which rows a sharing change writes, queueing on commit, in-process delivery."""

import pytest
from django.core import mail
from django.urls import reverse
from kombu.exceptions import OperationalError

from confidentiality import services as sharing
from confidentiality.models import Audience, State
from portal.kernel.queue import enqueue_on_commit
from portal.notifications import services, tasks
from portal.notifications.models import Notification
from portal.notifications.selectors import notification_list_for, notification_recent_entries

pytestmark = pytest.mark.django_db

TITLE = "CANARY-77aa Border control workshop"


def _rows(record):
    return Notification.objects.filter(record_type="programs.program", record_id=record.pk)


def _recipients(record, kind=Notification.Kind.SHARED):
    return sorted(_rows(record).filter(kind=kind).values_list("recipient__username", "send_email"))


@pytest.fixture
def focal(people):
    return people["owner_focal"]


# --- which rows a change writes -----------------------------------------------------------------------------


def test_a_selected_share_notifies_the_chosen_members_and_emails_their_focal_points(people, focal, make_program):
    record = make_program(audience=Audience.COMMITTEE)
    sharing.submission_set_audience(actor=focal, record=record, audience=Audience.SELECTED, shared_with=["CHOSEN"])
    assert _recipients(record) == [("sel-focal", True), ("sel-member", False)]


@pytest.mark.parametrize("audience", [Audience.ALL_IROS, Audience.PUBLIC])
def test_all_iros_and_public_go_to_the_digest_not_to_a_mass_notification(focal, make_program, audience):
    record = make_program(audience=Audience.COMMITTEE)
    sharing.submission_set_audience(actor=focal, record=record, audience=audience)
    assert not _rows(record).exists()


def test_a_new_submission_notifies_the_committee_in_app(people, focal, make_program):
    record = make_program(
        state=State.DRAFT, audience=Audience.SELECTED, shared_with=[people["selected_focal"].membership.organization]
    )
    sharing.submission_submit(actor=focal, record=record)
    assert _recipients(record, Notification.Kind.NEW_SUBMISSION) == [("expert", False)]
    assert _recipients(record) == [("sel-focal", True), ("sel-member", False)]
    # the owner's own people and inactive users are never notified
    assert not _rows(record).filter(recipient__in=[people["owner_member"], focal, people["inactive"]]).exists()


def test_widening_a_selection_notifies_only_the_added_organization(focal, make_program, orgs):
    record = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    sharing.submission_set_audience(
        actor=focal, record=record, audience=Audience.SELECTED, shared_with=["CHOSEN", "OTHER"]
    )
    assert _recipients(record) == [("other-focal", True), ("other-member", False)]


def test_narrowing_from_all_iros_to_selected_notifies_nobody(focal, make_program):
    # CHOSEN could already see it as an IRO: nothing became newly visible to it
    record = make_program(audience=Audience.ALL_IROS)
    sharing.submission_set_audience(actor=focal, record=record, audience=Audience.SELECTED, shared_with=["CHOSEN"])
    assert not _rows(record).exists()


def test_a_refused_change_writes_no_rows(people, make_program):
    record = make_program(audience=Audience.COMMITTEE)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied; what matters is that nothing was written
        sharing.submission_set_audience(
            actor=people["selected_focal"], record=record, audience=Audience.SELECTED, shared_with=["CHOSEN"]
        )
    assert not Notification.objects.exists()


# --- queueing -----------------------------------------------------------------------------------------------


def test_a_share_queues_one_delivery_on_commit(focal, make_program, django_capture_on_commit_callbacks):
    record = make_program(audience=Audience.COMMITTEE)
    with django_capture_on_commit_callbacks() as callbacks:
        sharing.submission_set_audience(actor=focal, record=record, audience=Audience.SELECTED, shared_with=["CHOSEN"])
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:  # a change that notifies nobody queues nothing
        sharing.submission_set_audience(actor=focal, record=record, audience=Audience.COMMITTEE)
    assert callbacks == []


def test_delivery_is_queued_only_when_the_change_commits(django_capture_on_commit_callbacks):
    sent = []

    class Recorder:
        name = "recorder"

        def apply_async(self, args, kwargs, retry):
            sent.append((args, retry))

    with django_capture_on_commit_callbacks() as callbacks:
        enqueue_on_commit(Recorder(), [1, 2])
        assert sent == []  # not before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert sent == [(([1, 2],), False)]


def test_an_unreachable_broker_never_fails_the_caller(caplog, django_capture_on_commit_callbacks):
    class Down:
        name = "down"

        def apply_async(self, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(Down())
    assert "Could not queue down" in caplog.text


# --- delivery in process ------------------------------------------------------------------------------------


@pytest.fixture
def shared(people, focal, make_program):
    record = make_program(audience=Audience.COMMITTEE, title=TITLE, summary=TITLE)
    sharing.submission_set_audience(actor=focal, record=record, audience=Audience.SELECTED, shared_with=["CHOSEN"])
    return record


def test_delivery_emails_a_link_once(shared, people):
    ids = list(_rows(shared).values_list("pk", flat=True))
    assert tasks.notifications_deliver(ids) == {"delivered": 2}
    assert tasks.notifications_deliver(ids) == {"already delivered": 2}
    [message] = mail.outbox
    assert message.to == [people["selected_focal"].email]
    assert reverse("programs:detail", args=[shared.pk]) in message.body
    assert "CANARY-77aa" not in message.body + message.subject


def test_a_failing_mail_server_leaves_the_row_for_the_sweep(shared, monkeypatch):
    def refuse(**kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", refuse)
    ids = list(_rows(shared).values_list("pk", flat=True))
    outcome = tasks.notifications_deliver(ids)
    assert outcome == {"failed": 1, "delivered": 1}  # the member's in-app row needs no e-mail
    focal_row = _rows(shared).get(send_email=True)
    assert focal_row.delivered_at is None and focal_row.emailed_at is None
    # the mail server is back; the sweep picks the row up
    monkeypatch.undo()
    assert tasks.notifications_sweep(older_than_seconds=0) == 1
    focal_row.refresh_from_db()
    assert focal_row.emailed_at is not None
    assert len(mail.outbox) == 1


def test_delivery_re_checks_visibility(shared, people, focal):
    sharing.submission_set_audience(actor=focal, record=shared, audience=Audience.COMMITTEE)
    ids = list(_rows(shared).values_list("pk", flat=True))
    assert tasks.notifications_deliver(ids) == {"cancelled": 2}
    assert not mail.outbox
    assert not notification_list_for(actor=people["selected_member"]).exists()


def test_the_sweep_leaves_fresh_rows_to_their_queued_task(shared):
    assert tasks.notifications_sweep() == 0  # younger than a minute
    assert tasks.notifications_sweep(older_than_seconds=0) == 2


def test_a_record_hidden_since_is_no_longer_available_and_left_out_of_the_api_list(shared, people, focal):
    tasks.notifications_deliver(list(_rows(shared).values_list("pk", flat=True)))
    member = people["selected_member"]
    [entry] = notification_recent_entries(actor=member)
    assert (entry.available, entry.title, entry.url) == (True, TITLE, reverse("programs:detail", args=[shared.pk]))
    sharing.submission_withdraw(actor=focal, record=shared)
    member = type(member).objects.get(pk=member.pk)
    [entry] = notification_recent_entries(actor=member)
    assert (entry.available, entry.title, entry.organization, entry.url) == (False, "", None, "")
    assert not notification_list_for(actor=member).exists()
    assert notification_list_for(actor=None).count() == 0
