"""`make screenshots`: the main pages with demo data, rendered by the system Chromium into docs/screenshots/.

Not part of `make test` (the file name does not start with `test_`): run it when pages change, look at every PNG,
and commit them. The data is `seed_reference` plus `seed_demo --programs 200` (which includes demo points of
contact, demarches and interactions), and a shared program with its notifications made through the services, so
every dashboard panel has something to show.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from confidentiality.models import Audience, State
from iros.models import Organization
from portal.accounts.models import User
from portal.devtools.demo.accounts import DEFAULT_DEMO_PASSWORD
from portal.notifications.models import Notification
from portal.notifications.services import notification_deliver
from programs.models import Program
from programs.services import program_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
# Tall pages are cut here: enough to show what the page is, small enough for the README.
MAX_HEIGHT = 2200


def demo_extras() -> None:
    """What only the screenshots need on top of `seed_demo` (which already makes the demo points of contact,
    demarches and IGO-table rows, `portal.devtools.demo`): a program shared with UNODC so its member has
    notifications, and a stale OSCE program for the focal point's to-do list."""
    osce = Organization.objects.get(acronym="OSCE")
    focal = User.objects.get(username="focal")
    for title in (
        "Strategic trade control outreach for customs officers",
        "Best-practice guide on end-user certificates",
    ):
        program_create(
            actor=focal,
            organization=osce,
            title=title,
            summary="Workshops and national round tables on implementing resolution 1540 export controls.",
            status=Program.Status.ONGOING,
            thematic_areas=["op3d", "training"],
            regions=["143"],
            state=State.SUBMITTED,
            audience=Audience.SELECTED,
            shared_with=["UNODC", "WCO"],
        )
    for notification_id in Notification.objects.filter(delivered_at__isnull=True).values_list("pk", flat=True):
        notification_deliver(notification_id=notification_id)
    # One OSCE program left untouched for over a year, so the focal point's to-do list shows it.
    stale = Program.objects.filter(organization=osce, state=State.SUBMITTED).order_by("pk").first()
    Program.objects.filter(pk=stale.pk).update(updated=timezone.now() - timedelta(days=420))


@pytest.fixture
def demo_data(db):
    call_command("seed_reference", verbosity=0)
    # seed_demo includes the demo contacts, demarches and interactions (portal.devtools.demo).
    call_command("seed_demo", programs=200, verbosity=0)
    demo_extras()


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def open_page(username: str | None):
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        if username:
            page.goto("/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", DEFAULT_DEMO_PASSWORD)
            page.locator("form:has(input[name=password]) [type=submit]").first.click()
            page.wait_for_load_state()
        return page

    yield open_page
    for context in contexts:
        context.close()


def shoot(page, name: str, path: str | None = None) -> None:
    if path is not None:
        response = page.goto(path)
        assert response.status == 200, (path, response.status)
    page.wait_for_load_state("networkidle")
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(OUTPUT / f"{name}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height},
    )


def test_screenshots(demo_data, open_as):
    anonymous = open_as(None)
    shoot(anonymous, "landing", "/")

    expert = open_as("expert")
    shoot(expert, "dashboard-committee", "/")
    shoot(expert, "program-list", "/programs/")
    shoot(expert, "igo-tables", "/igo-tables/?active=1")
    if expert.goto("/cooperation/").status == 200:
        shoot(expert, "cooperation-map")
    shoot(expert, "organization-profile", "/organizations/OSCE/")
    shoot(expert, "search-results", "/search/?q=customs")

    shoot(open_as("admin"), "dashboard-admin", "/")

    member = open_as("member")
    shoot(member, "dashboard-member", "/")
    shoot(member, "notifications-inbox", "/notifications/")

    focal = open_as("focal")
    shoot(focal, "dashboard-focal-point", "/")
    # A demo program with partners and dates, shared with selected IROs: the richest detail page.
    osce_shared = Program.objects.filter(
        organization__acronym="OSCE", audience=Audience.SELECTED, state=State.SUBMITTED
    )
    shared = osce_shared.filter(partnerships__isnull=False, start_date__isnull=False).order_by("pk").first()
    shared = shared or osce_shared.order_by("pk").first()
    shoot(focal, "program-detail", f"/programs/{shared.pk}/")

    focal.goto("/programs/new/")
    focal.locator("#id_title").fill("Regional workshop on proliferation financing")
    focal.get_by_label("Summary").fill("Financial intelligence units and supervisors of the OSCE area.")
    focal.get_by_label("The Committee and selected IROs").check()
    focal.get_by_label("Selected organizations").select_option(["FATF", "UNODC"])
    focal.get_by_role("button", name="Preview audience").click()
    focal.wait_for_load_state()
    focal.locator("#audience-preview").scroll_into_view_if_needed()
    assert "Financial Action Task Force" in focal.locator("#audience-preview").inner_text()
    shoot(focal, "program-form-preview")
