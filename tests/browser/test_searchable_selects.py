"""Searchable multi-selects (portal/kernel/forms.py over static/js/searchable-select.js), in a real browser:
chosen by keyboard alone, under the strict CSP; and the plain select that still submits when JavaScript is off."""

import pytest

from confidentiality.models import State
from portal.accounts.models import Role
from programs.models import Program
from tests.browser.searchable_select import choose_by_keyboard
from tests.factories import OrganizationFactory, RegionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def focal_point():
    owner = OrganizationFactory(acronym="UNODC", name="United Nations Office on Drugs and Crime")
    OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    RegionFactory(code="143", name="Central Asia")
    RegionFactory(code="145", name="Western Asia")
    RegionFactory(code="011", name="Western Africa")
    return UserFactory(username="fatima", role=Role.FOCAL_POINT, organization=owner)


def choose(page, label: str, typed: str, value: str) -> None:
    choose_by_keyboard(page, page.get_by_role("combobox", name=label, exact=True), typed, value)


def test_a_focal_point_picks_countries_and_a_region_by_keyboard(page, browser_sign_in, focal_point, console_errors):
    # given
    browser_sign_in(page, "fatima")
    page.goto("/programs/new/")
    # The enhanced select needs no key held down, so its hint is gone.
    assert page.locator(".searchable-select-hint:visible").count() == 0
    page.get_by_label("Title").fill("Border control in Central Asia")

    # when: two countries (asked from the server as one types) and a region (searched in the page)
    choose(page, "Beneficiary countries", "kaz", "KZ")
    choose(page, "Beneficiary countries", "kyrg", "KG")
    choose(page, "Regions", "asia", "145")  # Central Asia comes first: one arrow down to Western Asia
    # A later choice adds to the earlier ones instead of replacing them.
    chips = page.locator("#id_beneficiary_countries-ts-control").locator("xpath=..").locator(".item")
    assert [chip.get_attribute("data-value") for chip in chips.all()] == ["KZ", "KG"]
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url("**/programs/*/")

    # then
    program = Program.objects.get(title="Border control in Central Asia")
    assert program.state == State.DRAFT
    assert sorted(program.beneficiary_countries) == ["KG", "KZ"]
    assert [region.code for region in program.regions.all()] == ["145"]
    assert console_errors == []  # no CSP violation, no script error

    # The edit form shows the saved choices as chips, and keeps them when saved again.
    page.goto(f"/programs/{program.pk}/edit/")
    assert "Kazakhstan" in page.locator("#id_beneficiary_countries").locator("xpath=..").inner_text()
    choose(page, "Funding states", "germ", "DE")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url(f"**/programs/{program.pk}/")
    program.refresh_from_db()
    assert sorted(program.beneficiary_countries) == ["KG", "KZ"]
    assert program.funding_states == ["DE"]
    assert console_errors == []


def test_the_plain_select_still_submits_without_javascript(browser, live_server, focal_point, browser_sign_in):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        browser_sign_in(page, "fatima")
        page.goto("/programs/new/")
        # Without JavaScript the select is the browser's own, with the hint on how to choose several.
        assert page.locator(".ts-wrapper").count() == 0
        assert page.locator("#id_beneficiary_countries_keyhint").is_visible()
        page.get_by_label("Title").fill("Export control outreach")
        page.select_option("#id_beneficiary_countries", ["KZ", "UZ"])
        page.select_option("#id_regions", ["143"])
        page.get_by_role("button", name="Save as draft").click()
        page.wait_for_url("**/programs/*/")
        program = Program.objects.get(title="Export control outreach")
        assert sorted(program.beneficiary_countries) == ["KZ", "UZ"]
        assert [region.code for region in program.regions.all()] == ["143"]
    finally:
        context.close()


def test_the_selected_organizations_of_the_audience_are_searchable(page, browser_sign_in, focal_point, console_errors):
    browser_sign_in(page, "fatima")
    page.goto("/programs/new/")
    page.get_by_label("Title").fill("Shared with one IRO")
    page.get_by_label("The Committee and selected IROs").check()
    choose(page, "Selected organizations", "security", "OSCE")
    # The owner is never offered for its own audience, even though the server knows it.
    page.get_by_role("combobox", name="Selected organizations", exact=True).focus()
    page.keyboard.type("unodc")
    page.locator(".ts-dropdown:visible .no-results").wait_for()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url("**/programs/*/")
    program = Program.objects.get(title="Shared with one IRO")
    assert [organization.acronym for organization in program.shared_with.all()] == ["OSCE"]
    assert console_errors == []
