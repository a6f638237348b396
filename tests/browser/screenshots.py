"""`make screenshots`: the main pages with demo data, rendered by the system Chromium into docs/screenshots/.

Not part of `make test` (the file name does not start with `test_`): run it when pages change, look at every PNG,
and commit them. The data is `seed_reference` plus `seed_demo --programs 200` (which includes demo points of
contact, demarches and interactions), and a shared program with its notifications made through the services, so
every dashboard panel has something to show.

English pages go to docs/screenshots/, the same pages in Arabic (right to left) and Chinese to
docs/screenshots/ar/ and docs/screenshots/zh-hans/ (`LANGUAGES`; the language is the visitor's cookie, as the
switcher sets it). Only one language: `make screenshots SCREENSHOTS="-k ar"`. Run it again after the catalogues
change: a page shows what its catalogue translates, English where an entry is still empty.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
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
from tests.browser.searchable_select import choose_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# The languages shot besides English, each into its own folder.
LANGUAGES = ("ar", "zh-hans")
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

    def open_page(username: str | None, language: str = settings.LANGUAGE_CODE):
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
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


def shoot(page, name: str, path: str | None = None, *, folder: Path = OUTPUT) -> None:
    if path is not None:
        response = page.goto(path)
        assert response.status == 200, (path, response.status)
    page.wait_for_load_state("networkidle")
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(folder / f"{name}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height},
    )


def shoot_the_main_pages(open_as, language: str = settings.LANGUAGE_CODE, folder: Path = OUTPUT) -> None:
    def shot(page, name, path=None):
        shoot(page, name, path, folder=folder)

    anonymous = open_as(None, language)
    shot(anonymous, "landing", "/")

    expert = open_as("expert", language)
    shot(expert, "dashboard-committee", "/")
    shot(expert, "program-list", "/programs/")
    shot(expert, "igo-tables", "/igo-tables/?active=1")
    if expert.goto("/cooperation/").status == 200:
        shot(expert, "cooperation-map")
    shot(expert, "organization-profile", "/organizations/OSCE/")
    shot(expert, "search-results", "/search/?q=customs")

    shot(open_as("admin", language), "dashboard-admin", "/")

    member = open_as("member", language)
    shot(member, "dashboard-member", "/")
    shot(member, "notifications-inbox", "/notifications/")

    focal = open_as("focal", language)
    shot(focal, "dashboard-focal-point", "/")
    # A demo program with partners and dates, shared with selected IROs: the richest detail page.
    osce_shared = Program.objects.filter(
        organization__acronym="OSCE", audience=Audience.SELECTED, state=State.SUBMITTED
    )
    shared = osce_shared.filter(partnerships__isnull=False, start_date__isnull=False).order_by("pk").first()
    shared = shared or osce_shared.order_by("pk").first()
    shot(focal, "program-detail", f"/programs/{shared.pk}/")

    # The form by its fields' names, not their labels: the same steps in every language.
    focal.goto("/programs/new/")
    focal.fill("#id_title", "Regional workshop on proliferation financing")
    focal.fill("#id_summary", "Financial intelligence units and supervisors of the OSCE area.")
    focal.check("input[name=audience][value=selected]")
    choose_in(focal, "id_shared_with", "FATF", "FATF")
    choose_in(focal, "id_shared_with", "UNODC", "UNODC")
    focal.click("#preview-button")
    focal.wait_for_load_state()
    focal.locator("#audience-preview").scroll_into_view_if_needed()
    assert "Financial Action Task Force" in focal.locator("#audience-preview").inner_text()
    shot(focal, "program-form-preview")


def test_screenshots(demo_data, open_as):
    shoot_the_main_pages(open_as)


@pytest.mark.parametrize("language", LANGUAGES)
def test_screenshots_in_other_languages(demo_data, open_as, language):
    shoot_the_main_pages(open_as, language, OUTPUT / language)
