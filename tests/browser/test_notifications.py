"""A member reads the notifications inbox in a real browser: the navbar's count, entries that name and link their
record (or say it is no longer available), mark one and all read, then chooses how to be notified."""

import os

import pytest

from confidentiality import services as sharing
from confidentiality.models import Audience, State
from portal.accounts.models import Role
from portal.notifications import tasks
from portal.notifications.models import Notification, NotificationPreference
from tests.factories import OrganizationFactory, PointOfContactFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
# Set to a directory to keep screenshots of the inbox and the settings.
SCREENSHOT_DIR = os.environ.get("PORTAL_SCREENSHOT_DIR")


def screenshot(page, name):
    if SCREENSHOT_DIR:
        page.screenshot(path=os.path.join(SCREENSHOT_DIR, f"{name}.png"), full_page=True)


@pytest.fixture
def world():
    owner = OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    chosen = OrganizationFactory(acronym="WCO", name="World Customs Organization")
    focal = UserFactory(username="fatima", role=Role.FOCAL_POINT, organization=owner)
    member = UserFactory(username="wei", role=Role.MEMBER, organization=chosen)
    program = ProgramFactory(organization=owner, title="Border security training for Central Asia")
    withdrawn = ProgramFactory(organization=owner, title="WITHDRAWN-CANARY strategic trade outreach")
    contact = PointOfContactFactory(
        organization=owner, person="Jane Doe", title="Senior Adviser, 1540 unit", state=State.DRAFT
    )
    for record in (withdrawn, contact, program):
        sharing.submission_change_sharing(
            actor=focal, record=record, state=State.SUBMITTED, audience=Audience.SELECTED, shared_with=["WCO"]
        )
    tasks.notifications_deliver(list(Notification.objects.values_list("pk", flat=True)))
    sharing.submission_withdraw(actor=focal, record=withdrawn)  # after it was delivered: no longer available
    return {"member": member, "program": program, "contact": contact}


def test_a_member_reads_marks_and_sets_notifications(page, browser_sign_in, world, console_errors):
    browser_sign_in(page, "wei")

    # the navbar counts the three unread notifications and leads to the inbox
    bell = page.locator("#nav-notifications")
    assert bell.get_attribute("aria-label") == "Notifications: 3 unread"
    assert page.locator("#unread-count").inner_text() == "3"
    bell.click()
    page.wait_for_url("**/notifications/")
    entries = page.locator("#inbox .notification-entry")
    assert entries.count() == 3

    # newest first: the program, the contact (named by its person, with its organization), the withdrawn program
    program_entry, contact_entry, withdrawn_entry = (entries.nth(n) for n in range(3))
    assert program_entry.locator(".notification-title").inner_text() == "Border security training for Central Asia"
    assert contact_entry.locator(".notification-kind").inner_text() == "Point of contact · OSCE"
    assert contact_entry.locator(".notification-title").inner_text() == "Jane Doe"
    assert "Shared with your organization" in contact_entry.inner_text()
    assert "No longer available to you" in withdrawn_entry.inner_text()
    assert "WITHDRAWN-CANARY" not in page.content()
    screenshot(page, "notifications-inbox")

    # mark one read: it loses its "new" mark, and the count goes down
    contact_entry.get_by_role("button", name="Mark as read").click()
    page.wait_for_load_state()
    assert page.locator("#unread-count").inner_text() == "2"
    assert page.locator("#inbox .notification-entry").nth(1).get_attribute("data-unread") == "false"

    # the unread filter, then a link to the record
    page.get_by_role("link", name="Unread (2)").click()
    page.wait_for_load_state()
    assert page.locator("#inbox .notification-entry").count() == 2
    page.get_by_role("link", name="Border security training for Central Asia").click()
    page.wait_for_url(f"**/programs/{world['program'].pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Border security training for Central Asia"

    # mark all read: no count left
    page.locator("#nav-notifications").click()
    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_load_state()
    assert page.locator("#unread-count").count() == 0
    assert page.get_by_role("link", name="Unread (0)").is_visible()

    # the settings: immediately by e-mail for records shared with the organization
    page.get_by_role("link", name="Notification settings").first.click()
    page.wait_for_url("**/notifications/settings/")
    group = page.get_by_role("group", name="Shared with your organization")
    assert group.get_by_label("In the weekly digest").is_checked()  # a member's default
    group.get_by_label("Immediately by e-mail").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Your notification settings were saved." in page.content()
    assert (
        page.get_by_role("group", name="Shared with your organization")
        .get_by_label("Immediately by e-mail")
        .is_checked()
    )
    assert NotificationPreference.objects.get(user=world["member"]).delivery == "email"
    screenshot(page, "notification-settings")

    assert console_errors == []


def test_the_inbox_fits_a_phone(page, browser_sign_in, world):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_sign_in(page, "wei")
    for path in ("/notifications/", "/notifications/settings/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        screenshot(page, "phone-" + path.strip("/").replace("/", "-"))
