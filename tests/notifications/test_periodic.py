"""Periodic notifications: the beat schedule, the weekly digest, demarche follow-ups due and stale programs.

The task functions are called directly (no worker): what they write and send is the same either way.
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from confidentiality import services as sharing
from confidentiality.models import Audience, SharingAudit, State
from contacts import tasks as contacts_tasks
from contacts.reminders import demarche_follow_up_reminders
from portal.accounts.models import Role
from portal.celery import app
from portal.notifications import services, tasks
from portal.notifications.models import Notification
from portal.notifications.selectors import notification_list_for
from programs import tasks as programs_tasks
from programs.models import Program
from programs.reminders import stale_program_reminders
from tests.factories import DemarcheFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- the schedule -------------------------------------------------------------------------------------------


def test_the_beat_schedule_lives_in_code_and_names_registered_tasks(settings):
    schedule = app.conf.beat_schedule
    assert schedule == settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} == {
        "notifications.sweep",
        "notifications.weekly_digest",
        "notifications.follow_ups_due",
        "notifications.stale_programs",
        "security.purge_log",
        "imports.sweep",
    }
    assert all(entry["task"] in app.tasks for entry in schedule.values())
    assert schedule["notifications-sweep"]["schedule"] == 60.0


# --- weekly digest ------------------------------------------------------------------------------------------


def _share(people, record, audience, shared_with=()):
    sharing.submission_change_sharing(
        actor=people["owner_focal"], record=record, state=State.SUBMITTED, audience=audience, shared_with=shared_with
    )


def test_the_digest_sends_a_count_and_a_link_never_a_title(people, orgs, make_program, run_queued):
    # given: this week, three records became visible to CHOSEN, one to everybody but as a draft
    selected = make_program(state=State.DRAFT, title="SECRET-TITLE-SELECTED")
    all_iros = make_program(state=State.DRAFT, title="SECRET-TITLE-ALL")
    public = make_program(state=State.DRAFT, title="SECRET-TITLE-PUBLIC")
    make_program(state=State.DRAFT, title="SECRET-TITLE-DRAFT")
    _share(people, selected, Audience.SELECTED, ["CHOSEN"])
    _share(people, all_iros, Audience.ALL_IROS)
    _share(people, public, Audience.PUBLIC)
    mail.outbox.clear()
    # when
    with run_queued():
        tasks.notifications_weekly_digest()
    # then: one e-mail per active IRO user with an e-mail address (not the inactive one, not the Committee)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    iro_users = ["owner_focal", "owner_member", "selected_focal", "selected_member", "other_focal", "other_member"]
    assert set(by_recipient) == {people[name].email for name in iro_users} - {
        people["owner_focal"].email,
        people["owner_member"].email,
    }
    chosen = by_recipient[people["selected_member"].email].body
    other = by_recipient[people["other_member"].email].body
    assert "3 record(s) became visible" in chosen
    assert "2 record(s) became visible" in other
    for message in mail.outbox:
        assert "http://" in message.body
        assert "SECRET-TITLE" not in message.body + message.subject


def test_the_owner_gets_no_digest_for_its_own_records(people, make_program, run_queued):
    record = make_program(state=State.DRAFT)
    _share(people, record, Audience.PUBLIC)
    with run_queued():
        tasks.notifications_weekly_digest()
    recipients = {message.to[0] for message in mail.outbox}
    assert people["owner_focal"].email not in recipients
    assert Notification.objects.get(recipient=people["owner_focal"], kind="digest").cancelled


def test_a_record_already_visible_before_the_week_does_not_count(people, orgs, make_program, run_queued):
    # given: shared with all IROs long ago (no audit row this week), widened to public this week
    record = make_program(audience=Audience.ALL_IROS)
    sharing.submission_set_audience(actor=people["owner_focal"], record=record, audience=Audience.PUBLIC)
    # when
    with run_queued():
        tasks.notifications_weekly_digest()
    # then: OTHER could already see it; nothing new
    assert not mail.outbox


def test_a_record_hidden_again_does_not_count(people, orgs, make_program, run_queued):
    record = make_program(state=State.DRAFT)
    _share(people, record, Audience.SELECTED, ["CHOSEN"])
    sharing.submission_withdraw(actor=people["owner_focal"], record=record)
    # (the members' SHARED notification, in the digest by default, is about a record they can no longer see)
    with run_queued():
        tasks.notifications_weekly_digest()
    assert not mail.outbox


def test_changes_older_than_a_week_do_not_count(people, make_program):
    record = make_program(state=State.DRAFT)
    _share(people, record, Audience.PUBLIC)
    entry = SharingAudit.objects.get(record_id=record.pk)
    member = people["other_member"]
    # then: the window is [until - 7 days, until)
    assert services.newly_visible_count(actor=member, since=entry.at - timedelta(days=7), until=entry.at) == 0
    window_end = entry.at + timedelta(days=7)
    assert services.newly_visible_count(actor=member, since=entry.at, until=window_end) == 1
    assert services.newly_visible_count(actor=member, since=window_end, until=window_end + timedelta(days=7)) == 0


def test_the_digest_is_sent_once_per_week(people, make_program, run_queued, django_capture_on_commit_callbacks):
    record = make_program(state=State.DRAFT)
    _share(people, record, Audience.ALL_IROS)
    today = timezone.localdate()
    # the rows are written in the task's transaction, their delivery queued on its commit
    with django_capture_on_commit_callbacks() as queued:
        services.notifications_weekly_digest(today=today)
    assert len(queued) == 1 and not mail.outbox
    with run_queued():
        services.notifications_weekly_digest(today=today)
    sent = len(mail.outbox)
    assert sent == 4  # the members and focal points of CHOSEN and OTHER
    # when: the beat fires again the same week
    with django_capture_on_commit_callbacks() as queued:
        services.notifications_weekly_digest(today=today)
    # then: nothing is written or queued
    assert queued == []
    assert len(mail.outbox) == sent
    assert Notification.objects.filter(kind="digest").count() == 6  # one row per IRO user, cancelled when empty
    # next week is a new digest row
    with run_queued():
        services.notifications_weekly_digest(today=today + timedelta(days=7))
    assert Notification.objects.filter(kind="digest").count() == 12


def test_digests_are_not_listed_in_app(people, make_program, run_queued):
    record = make_program(state=State.DRAFT)
    _share(people, record, Audience.ALL_IROS)
    with run_queued():
        tasks.notifications_weekly_digest()
    member = people["other_member"]
    assert Notification.objects.filter(recipient=member, kind="digest", delivered_at__isnull=False).exists()
    assert not notification_list_for(actor=member).filter(kind="digest").exists()


# --- demarche follow-ups ------------------------------------------------------------------------------------


@pytest.fixture
def experts(db):
    return [UserFactory(role=Role.COMMITTEE, username=f"expert-{n}") for n in range(2)]


def test_follow_ups_due_notify_every_committee_expert_once(orgs, people, experts):
    today = timezone.localdate()
    due = DemarcheFactory(organization=orgs["owner"], sent_on=today - timedelta(days=40), follow_up_due=today)
    overdue = DemarcheFactory(
        organization=orgs["other"], sent_on=today - timedelta(days=40), follow_up_due=today - timedelta(days=3)
    )
    DemarcheFactory(
        organization=orgs["owner"], sent_on=today - timedelta(days=40), follow_up_due=today + timedelta(days=1)
    )
    DemarcheFactory(
        organization=orgs["owner"],
        sent_on=today - timedelta(days=40),
        follow_up_due=today - timedelta(days=1),
        answered_on=today - timedelta(days=2),
    )
    DemarcheFactory(organization=orgs["owner"], sent_on=today - timedelta(days=40), follow_up_due=None)
    # when
    contacts_tasks.notifications_follow_ups_due()
    contacts_tasks.notifications_follow_ups_due()  # idempotent
    # then
    rows = Notification.objects.filter(kind="follow_up_due")
    everyone_committee = [*experts, people["committee"]]
    assert sorted(rows.values_list("recipient_id", "record_id")) == sorted(
        (expert.pk, demarche.pk) for expert in everyone_committee for demarche in (due, overdue)
    )
    assert all(row.delivered_at and not row.cancelled and not row.emailed_at for row in rows)
    assert rows.filter(recipient__role__in=[Role.MEMBER, Role.FOCAL_POINT, Role.ADMIN]).count() == 0
    assert notification_list_for(actor=experts[0]).filter(kind="follow_up_due").count() == 2
    assert not mail.outbox  # in-app only


def test_a_new_due_date_renews_the_follow_up(orgs, experts):
    today = timezone.localdate()
    demarche = DemarcheFactory(organization=orgs["owner"], sent_on=today - timedelta(days=60), follow_up_due=today)
    demarche_follow_up_reminders(today=today)
    rows = Notification.objects.filter(kind="follow_up_due")
    first = {row.pk: row.created for row in rows}
    rows.update(read_at=timezone.now())  # the experts read it
    # the Committee postpones the follow-up by a week; the day comes
    demarche.follow_up_due = today + timedelta(days=7)
    demarche.save()
    demarche_follow_up_reminders(today=today + timedelta(days=3))
    assert rows.count() == len(experts)
    demarche_follow_up_reminders(today=today + timedelta(days=7))
    demarche_follow_up_reminders(today=today + timedelta(days=8))
    # then: still one entry per expert and demarche, renewed for the new due date — unread, newer, delivered again
    assert rows.count() == len(experts)
    assert {row.pk for row in rows} == set(first)
    assert set(rows.values_list("idempotency_key", flat=True)) == {(today + timedelta(days=7)).isoformat()}
    assert all(row.read_at is None and row.created > first[row.pk] and row.delivered_at for row in rows)


# --- stale programs -----------------------------------------------------------------------------------------


def _age(program, days: int, *, before=None) -> None:
    """Last updated `days` before `before` (default: now)."""
    moment = timezone.now() if before is None else timezone.make_aware(datetime.combine(before, time(12)))
    Program.objects.filter(pk=program.pk).update(updated=moment - timedelta(days=days))


def test_stale_submitted_programs_notify_their_focal_points_once_a_month(orgs, people, make_program):
    # given
    stale = make_program(audience=Audience.PUBLIC)
    fresh = make_program(audience=Audience.PUBLIC)
    stale_draft = make_program(state=State.DRAFT)
    today = date(2031, 3, 10)
    _age(stale, 400, before=today)
    _age(fresh, 300, before=today)
    _age(stale_draft, 400, before=today)
    second_focal = UserFactory(username="owner-focal-2", role=Role.FOCAL_POINT, organization=orgs["owner"])
    # when
    for day in (today, today + timedelta(days=1), today + timedelta(days=20)):
        stale_program_reminders(today=day)
    # then: one row per focal point of the owner for the stale submitted program, in March
    rows = Notification.objects.filter(kind="stale_program")
    assert sorted(rows.values_list("recipient_id", "record_id", "idempotency_key")) == sorted(
        [(people["owner_focal"].pk, stale.pk, "2031-03"), (second_focal.pk, stale.pk, "2031-03")]
    )
    assert all(row.delivered_at and not row.cancelled for row in rows)
    assert not mail.outbox
    # and April brings a new reminder (by then `fresh` is not a year old yet either)
    stale_program_reminders(today=date(2031, 4, 1))
    assert sorted(rows.filter(idempotency_key="2031-04").values_list("record_id", flat=True)) == [stale.pk, stale.pk]


def test_stale_programs_task_uses_today(orgs, people, make_program):
    stale = make_program(audience=Audience.COMMITTEE)
    _age(stale, 366)
    programs_tasks.notifications_stale_programs()
    assert Notification.objects.get(kind="stale_program").recipient == people["owner_focal"]
    other = OrganizationFactory(acronym="NOBODY")  # an organization without focal points gets no rows
    lonely = make_program(owner=other, audience=Audience.PUBLIC)
    _age(lonely, 500)
    programs_tasks.notifications_stale_programs()
    assert not Notification.objects.filter(record_id=lonely.pk).exists()
