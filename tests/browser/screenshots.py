"""`make screenshots`: the main pages with demo data, rendered by the system Chromium into docs/screenshots/.

Not part of `make test` (the file name does not start with `test_`): run it when pages change, look at every PNG,
and commit them. The data is `seed_reference` plus `seed_demo --programs 200`, and a few points of contact,
demarches and notifications made through the services, so every dashboard panel has something to show.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from confidentiality.models import Audience, State
from contacts.models import ContactRole, Demarche
from contacts.services import contact_create, demarche_create
from iros.models import Interaction, Organization
from iros.services import interaction_create
from portal.accounts.models import User
from portal.notifications.models import Notification
from portal.notifications.services import notification_deliver
from programs.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD
from programs.models import Program
from programs.services import program_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
# Tall pages are cut here: enough to show what the page is, small enough for the README.
MAX_HEIGHT = 2200


def demo_extras() -> None:
    """Designations for most organizations (none invented: each is a role desk, not a person), demarches to the
    others, demo rows of the IGO tables, and a program shared with UNODC so its member has notifications."""
    admin = User.objects.get(username="admin")
    expert = User.objects.get(username="expert")
    today = timezone.localdate()
    organizations = list(Organization.objects.order_by("acronym"))
    for index, organization in enumerate(organizations):
        roles = []
        if index % 5 != 4 or organization.acronym == "OSCE":
            roles.append(ContactRole.ASSISTANCE)
        if index % 3 == 0 and organization.acronym != "OSCE":
            roles.append(ContactRole.IMPLEMENTATION)
        for role in roles:
            contact_create(
                actor=admin,
                organization=organization,
                role=role,
                person=f"{organization.acronym} {ContactRole(role).label.split(' for ')[-1]} desk",
                title="1540 focal desk",
                email=f"{role}@{organization.acronym.lower()}.example.org",
                since=date(2012 + index % 10, 1 + index % 12, 1),
                state=State.SUBMITTED,
                audience=(Audience.PUBLIC, Audience.ALL_IROS, Audience.COMMITTEE)[index % 3],
            )
        if ContactRole.IMPLEMENTATION not in roles and index % 2 == 0:
            sent = today - timedelta(days=20 + 9 * index)
            demarche_create(
                actor=expert,
                organization=organization,
                request=Demarche.Request.DESIGNATE_IMPLEMENTATION,
                channel=(Demarche.Channel.LETTER, Demarche.Channel.NOTE_VERBALE, Demarche.Channel.EMAIL)[index % 3],
                sent_on=sent,
                follow_up_due=sent + timedelta(days=60),
            )

    # Demo rows of the IGO tables (the seed names only two interactions), spread over the years and kinds.
    kinds = [choice for choice, _label in Interaction.Kind.choices]
    topics = ("national implementation", "export controls", "border security", "assistance requests", "outreach")
    for number in range(48):
        first, second = (
            organizations[(number * 7) % len(organizations)],
            organizations[(number * 11 + 3) % len(organizations)],
        )
        interaction_create(
            actor=expert,
            organizations=sorted({first.acronym, second.acronym}),
            date=date(2012 + number % 14, 1 + number % 12, 1 + number % 27),
            kind=kinds[number % len(kinds)],
            summary=f"Demo interaction on {topics[number % len(topics)]}.",
            public=number % 4 == 0,
        )

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
