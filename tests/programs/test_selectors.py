"""Program reads that other surfaces share: what a stale program is."""

from datetime import date, timedelta

import pytest

from confidentiality.models import State
from portal.accounts.models import Role
from portal.notifications.models import Notification
from portal.pages.dashboard.selectors import iro_dashboard
from programs.models import Program
from programs.reminders import stale_program_reminders
from programs.selectors import stale_since
from tests.factories import OrganizationFactory, ProgramFactory, UserFactory, submission_with_grants

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("offset", "stale"),
    [(timedelta(0), False), (-timedelta(microseconds=1), True)],
    ids=["updated-exactly-at-the-boundary", "updated-just-before-it"],
)
def test_the_dashboard_and_the_reminder_agree_on_a_stale_program(offset, stale):
    # given: a submitted, ongoing program last updated at (or just before) the boundary of `today`
    today = date(2031, 3, 10)
    owner = OrganizationFactory(acronym="OWNER")
    focal_point = UserFactory(role=Role.FOCAL_POINT, organization=owner)
    program = submission_with_grants(
        ProgramFactory, organization=owner, state=State.SUBMITTED, status=Program.Status.ONGOING
    )
    Program.objects.filter(pk=program.pk).update(updated=stale_since(today=today) + offset)

    # when
    dashboard = iro_dashboard(actor=focal_point, organization=owner, today=today)
    stale_program_reminders(today=today)

    # then: both call it stale, or neither does
    reminded = Notification.objects.filter(kind=Notification.Kind.STALE_PROGRAM, record_id=program.pk).exists()
    assert (dashboard.stale_count == 1) is stale
    assert ([item.pk for item in dashboard.stale_programs] == [program.pk]) is stale
    assert reminded is stale


def test_a_completed_or_draft_program_is_never_stale():
    today = date(2031, 3, 10)
    owner = OrganizationFactory(acronym="OWNER")
    focal_point = UserFactory(role=Role.FOCAL_POINT, organization=owner)
    completed = submission_with_grants(
        ProgramFactory, organization=owner, state=State.SUBMITTED, status=Program.Status.COMPLETED
    )
    draft = submission_with_grants(ProgramFactory, organization=owner, state=State.DRAFT)
    Program.objects.filter(pk__in=[completed.pk, draft.pk]).update(updated=stale_since(today=today) - timedelta(days=1))

    dashboard = iro_dashboard(actor=focal_point, organization=owner, today=today)
    stale_program_reminders(today=today)

    assert dashboard.stale_count == 0
    assert not Notification.objects.filter(kind=Notification.Kind.STALE_PROGRAM).exists()
