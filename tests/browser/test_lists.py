"""Working with lists in a real browser: the program list remembers the columns a user chose, a filter is saved,
shared with a colleague, applied and deleted, and the default tables fit a 1280 px screen."""

from datetime import date

import pytest

from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from iros.models import Interaction, ThematicArea
from portal.accounts.models import Role
from portal.preferences.models import SavedFilter
from tests.browser.test_accessibility import AXE, BLOCKING, PHONE, RUN_AXE, WCAG_21_AA
from tests.browser.test_accessibility import OVERFLOW as PAGE_OVERFLOW
from tests.factories import (
    InteractionFactory,
    OrganizationFactory,
    ProgramFactory,
    ThematicAreaFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_TITLE = "Strengthening national legislation implementing resolution 1540 in Australia and New Zealand"


@pytest.fixture
def world():
    osce = OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    unodc = OrganizationFactory(acronym="UNODC", name="United Nations Office on Drugs and Crime")
    areas = [
        ThematicAreaFactory(code=code, family=family, name=name)
        for code, family, name in [
            ("action-plan", ThematicArea.Family.ASSISTANCE, "National implementation action plans"),
            ("op3d", ThematicArea.Family.RESOLUTION, "OP3(d) — export and trans-shipment controls"),
            ("op1", ThematicArea.Family.RESOLUTION, "OP1 — no support to non-State actors"),
        ]
    ]
    for number, status in enumerate(["ongoing", "ongoing", "completed", "planned"] * 3):
        program = ProgramFactory(
            organization=unodc if number % 2 else osce,
            title=f"{LONG_TITLE} ({number})" if number == 0 else f"Program {number:02d} on border controls",
            state=State.SUBMITTED,
            audience=Audience.PUBLIC,
            status=status,
            start_date=date(2021, 1, 1),
            end_date=date(2026, 12, 31),
            budget=250000 + number,
            currency="EUR",
        )
        program.thematic_areas.set(areas)
        grants_write(program)
    for kind in Interaction.Kind.values:
        InteractionFactory(kind=kind, date=date(2024, 9, 1)).organizations.set([osce, unodc])
    member = UserFactory(username="member", role=Role.MEMBER, organization=osce)
    colleague = UserFactory(username="colleague", role=Role.MEMBER, organization=osce)
    outsider = UserFactory(username="outsider", role=Role.MEMBER, organization=unodc)
    expert = UserFactory(username="expert", role=Role.COMMITTEE)
    return {"member": member, "colleague": colleague, "outsider": outsider, "expert": expert}


def header_texts(page) -> list[str]:
    return [text.strip().lower() for text in page.locator("#program-table thead th").all_inner_texts()]


def test_the_program_list_remembers_the_columns_a_user_chose(page, browser_sign_in, world, console_errors):
    browser_sign_in(page, "member")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Programs").click()
    page.wait_for_url("**/programs/")
    assert "budget" not in header_texts(page)

    # when: the user picks Budget and drops Thematic areas
    page.locator(".column-picker summary").click()
    page.get_by_label("Budget").check()
    page.get_by_label("Thematic areas").uncheck()
    page.locator(".column-picker-form").get_by_role("button", name="Apply").click()
    page.wait_for_url("**/programs/?*columns=budget*")
    assert "budget" in header_texts(page) and "thematic areas" not in header_texts(page)

    # then: another day, the list opens with them, and exports them
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Organizations").click()
    page.wait_for_url("**/organizations/")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Programs").click()
    page.wait_for_url("**/programs/")
    assert "budget" in header_texts(page) and "thematic areas" not in header_texts(page)
    export = page.get_by_role("link", name="Export Excel").get_attribute("href")
    assert "columns=title%2Corganization%2Cstatus%2Csharing%2Cperiod%2Cbudget" in export

    # and "Reset" brings the defaults back for good
    page.locator(".column-picker summary").click()
    page.locator(".column-picker-form").get_by_role("link", name="Reset").click()
    page.wait_for_load_state()
    page.goto("/programs/")
    assert "thematic areas" in header_texts(page) and "budget" not in header_texts(page)
    assert console_errors == []


def test_a_saved_filter_is_shared_applied_and_deleted(new_page, browser_sign_in, world, console_errors):
    page = new_page()
    browser_sign_in(page, "member")
    page.goto("/programs/")

    # the member filters the list and saves the filter for the organization
    page.select_option("#id_status", "ongoing")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/programs/?*status=ongoing*")
    ongoing = page.locator("#program-table tbody tr").count()
    assert ongoing == 6
    page.get_by_label("Save the current filter as").fill("Ongoing work")
    page.get_by_label("Share with my organization").check()
    page.get_by_role("button", name="Save filter").click()
    page.wait_for_load_state()
    assert page.get_by_text("The filter “Ongoing work” was saved.").is_visible()

    # a colleague of the same organization applies it from the list
    colleague = new_page()
    browser_sign_in(colleague, "colleague")
    colleague.goto("/programs/")
    panel = colleague.locator("#saved-filters")
    assert panel.get_by_text("shared by member").is_visible()
    assert panel.get_by_role("link", name="Delete").count() == 0
    panel.get_by_role("link", name="Ongoing work").click()
    colleague.wait_for_url("**/programs/?status=ongoing")
    assert colleague.locator("#program-table tbody tr").count() == ongoing

    # someone of another organization does not see it
    outsider = new_page()
    browser_sign_in(outsider, "outsider")
    outsider.goto("/programs/")
    assert outsider.locator("#saved-filters").get_by_role("link", name="Ongoing work").count() == 0

    # the member deletes it, after a confirmation
    page.goto("/programs/")
    page.locator("#saved-filters").get_by_role("link", name="Delete").click()
    page.wait_for_url("**/preferences/filters/*/delete/")  # loaded: is_visible() does not wait
    assert page.get_by_role("heading", name="Delete the filter “Ongoing work”?").is_visible()
    page.get_by_role("button", name="Yes, delete it").click()
    page.wait_for_url("**/programs/")
    assert page.locator("#saved-filters").get_by_role("link", name="Ongoing work").count() == 0
    assert console_errors == []


OVERFLOW = (
    "(selector) => { const t = document.querySelector(selector); return t.scrollWidth - t.parentElement.clientWidth; }"
)


def test_the_default_tables_fit_a_1280_px_screen(page, browser_sign_in, world):
    browser_sign_in(page, "expert")

    page.goto("/programs/")
    assert page.evaluate(OVERFLOW, "#program-table") <= 0
    title = page.locator("#program-table tbody tr").first.locator("td").first
    assert title.bounding_box()["width"] >= 200  # titles do not wrap word by word
    tag = page.locator("#program-table .badge-truncate").first
    assert tag.get_attribute("title") == tag.evaluate("(element) => element.textContent")
    assert page.locator("#program-table thead th", has_text="Period").is_visible()

    page.goto("/igo-tables/")
    assert page.locator("#igo-table thead th.igo-kind").count() == len(Interaction.Kind.values)
    assert page.evaluate(OVERFLOW, "#igo-table") <= 0
    assert page.locator("#igo-table tbody tr").first.locator("td").last.is_visible()
    assert page.get_by_role("button", name="Print").is_visible()


def test_the_new_pages_pass_axe_and_fit_a_phone(new_page, browser_sign_in, world):
    saved = SavedFilter.objects.create(owner=world["member"], list_key="programs", name="Mine", query="status=ongoing")
    interaction = Interaction.objects.order_by("pk").first()
    pages = {
        "member": [
            "/help/",
            "/help/glossary/",
            "/help/focal-point/",
            "/help/member/",
            "/help/committee/",
            "/help/administrator/",
            f"/preferences/filters/{saved.pk}/delete/",
            "/programs/?status=ongoing",
            interaction.get_absolute_url(),
        ],
    }
    problems = {}
    for username, paths in pages.items():
        page = new_page()
        browser_sign_in(page, username)
        for path in paths:
            for viewport in ({"width": 1280, "height": 900}, PHONE):
                page.set_viewport_size(viewport)
                assert page.goto(path).status == 200, path
                if viewport == PHONE:
                    if page.evaluate(PAGE_OVERFLOW) > 0:
                        problems[(path, "390 px")] = page.evaluate(PAGE_OVERFLOW)
                    continue
                page.evaluate(AXE)
                found = [v for v in page.evaluate(RUN_AXE, WCAG_21_AA) if v["impact"] in BLOCKING]
                if found:
                    problems[(path, "axe")] = found
    assert problems == {}
