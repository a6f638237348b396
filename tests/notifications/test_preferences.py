"""How each person wants each kind of notification: immediately by e-mail, in the weekly digest, or in the portal
only — the role's default until they choose — and the settings page where they choose."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from confidentiality import services as sharing
from confidentiality.models import Audience, State
from contacts.reminders import demarche_follow_up_reminders
from portal.accounts.models import Language
from portal.notifications import services, tasks
from portal.notifications.models import Delivery, Notification, NotificationPreference
from portal.notifications.selectors import notification_preferences_for
from tests.factories import DemarcheFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("notifications:settings")


def _choose(user, **deliveries):
    services.notification_preferences_set(actor=user, deliveries=deliveries)


def _deliver_all():
    tasks.notifications_deliver(
        list(Notification.objects.filter(delivered_at__isnull=True).values_list("pk", flat=True))
    )


def _share_with_chosen(people, make_program, **fields):
    record = make_program(audience=Audience.COMMITTEE, **fields)
    sharing.submission_set_audience(
        actor=people["owner_focal"], record=record, audience=Audience.SELECTED, shared_with=["CHOSEN"]
    )
    return record


# --- the defaults and the choices -----------------------------------------------------------------------------


def test_each_role_is_offered_its_kinds_with_their_defaults(people):
    def offered(persona):
        return [(p.kind, p.delivery) for p in notification_preferences_for(actor=people[persona])]

    assert offered("selected_focal") == [("shared", "email"), ("stale_program", "portal")]
    assert offered("selected_member") == [("shared", "digest")]
    assert offered("committee") == [
        ("new_submission", "portal"),
        ("follow_up_due", "portal"),
        ("demarche_answered", "portal"),
    ]
    assert offered("admin") == []


def test_by_default_a_focal_point_is_e_mailed_at_once_and_a_member_is_not(people, make_program):
    _share_with_chosen(people, make_program)
    _deliver_all()
    assert [message.to for message in mail.outbox] == [[people["selected_focal"].email]]


def test_a_member_who_chooses_e_mail_gets_one_and_a_focal_point_who_chooses_the_portal_does_not(people, make_program):
    _choose(people["selected_member"], shared=Delivery.EMAIL)
    _choose(people["selected_focal"], shared=Delivery.PORTAL)
    record = _share_with_chosen(people, make_program, title="CANARY-5512 title")
    _deliver_all()
    [message] = mail.outbox
    assert message.to == [people["selected_member"].email]
    assert reverse("programs:detail", args=[record.pk]) in message.body
    assert "CANARY-5512" not in message.subject + message.body
    # both still find it in the portal
    for persona in ("selected_member", "selected_focal"):
        assert Notification.objects.filter(recipient=people[persona], delivered_at__isnull=False).count() == 1


def test_a_committee_expert_may_hear_of_new_submissions_at_once_in_their_language(people, focal_submits):
    expert = people["committee"]
    expert.language = Language.FRENCH
    expert.save(update_fields=["language"])
    _choose(expert, new_submission=Delivery.EMAIL)
    record = focal_submits()
    with translation.override("ar"):  # whoever's request delivers it
        _deliver_all()
    [message] = [m for m in mail.outbox if m.to == [expert.email]]
    assert reverse("programs:detail", args=[record.pk]) in message.body
    assert message.subject.startswith("[")


@pytest.fixture
def focal_submits(people, make_program):
    def submit():
        record = make_program(state=State.DRAFT, audience=Audience.COMMITTEE)
        sharing.submission_submit(actor=people["owner_focal"], record=record)
        return record

    return submit


def test_reminders_follow_the_preference_too(people, orgs):
    expert = people["committee"]
    _choose(expert, follow_up_due=Delivery.EMAIL)
    today = timezone.localdate()
    demarche = DemarcheFactory(organization=orgs["owner"], sent_on=today - timedelta(days=30), follow_up_due=today)
    demarche_follow_up_reminders(today=today)
    demarche_follow_up_reminders(today=today)  # once per period
    [message] = mail.outbox
    assert message.to == [expert.email]
    assert demarche.get_absolute_url() in message.body  # the demarche has its own page now


def test_choices_are_checked_and_saved_once_per_kind(people):
    member = people["selected_member"]
    _choose(member, shared=Delivery.PORTAL)
    _choose(member, shared=Delivery.EMAIL)
    assert list(NotificationPreference.objects.filter(user=member).values_list("kind", "delivery")) == [
        ("shared", "email")
    ]
    with pytest.raises(ValidationError):
        _choose(member, new_submission=Delivery.EMAIL)  # not a kind that reaches a member
    with pytest.raises(ValidationError):
        _choose(member, shared="sms")
    with pytest.raises(ValidationError):
        _choose(member, digest=Delivery.EMAIL)
    assert NotificationPreference.objects.filter(user=member).count() == 1


# --- the weekly digest ----------------------------------------------------------------------------------------


def _digest(run_queued, today=None):
    with run_queued():
        services.notifications_weekly_digest(today=today)


def _digests():
    return {message.to[0]: message.body for message in mail.outbox if "weekly digest" in message.subject}


def test_the_digest_counts_the_notifications_chosen_for_it(people, make_program, run_queued):
    # given: a member (digest by default) and a Committee expert who chose the digest for new submissions
    _choose(people["committee"], new_submission=Delivery.DIGEST)
    record = make_program(state=State.DRAFT, title="CANARY-8820 title")
    sharing.submission_change_sharing(
        actor=people["owner_focal"],
        record=record,
        state=State.SUBMITTED,
        audience=Audience.SELECTED,
        shared_with=["CHOSEN"],
    )
    _deliver_all()
    mail.outbox.clear()

    _digest(run_queued)

    digests = _digests()
    member = digests[people["selected_member"].email]
    assert "- Shared with your organization: 1" in member
    assert "1 record(s) became visible" in member
    expert = digests[people["committee"].email]
    assert "- New submission: 1" in expert
    assert "became visible" not in expert
    assert reverse("notifications:inbox") in expert
    assert all("CANARY-8820" not in body for body in digests.values())


def test_in_the_portal_only_leaves_shared_records_out_of_the_digest(people, make_program, run_queued):
    _choose(people["other_member"], shared=Delivery.PORTAL)
    record = make_program(state=State.DRAFT)
    sharing.submission_change_sharing(
        actor=people["owner_focal"], record=record, state=State.SUBMITTED, audience=Audience.ALL_IROS
    )
    _digest(run_queued)
    digests = _digests()
    assert people["other_focal"].email in digests
    assert people["other_member"].email not in digests
    assert not Notification.objects.filter(recipient=people["other_member"], kind="digest").exists()


def test_an_e_mailed_notification_is_not_counted_again_in_the_digest(people, make_program, run_queued):
    _choose(people["selected_member"], shared=Delivery.EMAIL)
    _share_with_chosen(people, make_program)
    _deliver_all()
    _choose(people["selected_member"], shared=Delivery.DIGEST)
    _digest(run_queued)
    assert "- Shared with your organization" not in _digests()[people["selected_member"].email]


# --- the settings page ----------------------------------------------------------------------------------------


def test_the_settings_page_saves_the_choices(sign_in, people):
    client = sign_in("selected_focal")
    body = client.get(SETTINGS).content.decode()
    assert "Shared with your organization" in body and "Program to update" in body
    checked = [line for line in body.splitlines() if "checked" in line and 'type="radio"' in line]
    assert [('name="shared"' in line and 'value="email"' in line) for line in checked] == [True, False]

    response = client.post(SETTINGS, {"shared": "digest", "stale_program": "email"})

    assert response.status_code == 302 and response["Location"] == SETTINGS
    choices = dict(NotificationPreference.objects.filter(user=people["selected_focal"]).values_list("kind", "delivery"))
    assert choices == {"shared": "digest", "stale_program": "email"}
    assert "Your notification settings were saved." in client.get(SETTINGS).content.decode()


def test_the_settings_page_refuses_an_unknown_choice(sign_in, people):
    response = sign_in("selected_member").post(SETTINGS, {"shared": "pigeon"})
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_settings_page_is_linked_from_the_inbox_and_the_profile(sign_in):
    client = sign_in("selected_member")
    assert f'href="{SETTINGS}"' in client.get(reverse("notifications:inbox")).content.decode()
    assert f'href="{SETTINGS}"' in client.get(reverse("accounts:profile")).content.decode()


def test_an_administrator_has_nothing_to_choose(sign_in):
    body = sign_in("admin").get(SETTINGS).content.decode()
    assert "nothing to choose" in body
