"""Searching in a real browser: a program shared with one IRO is found by its members only."""

import pytest

from confidentiality.models import Audience, State
from portal.accounts.models import Role
from programs.services import program_create
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Maritime interdiction workshop"


@pytest.fixture
def shared_program():
    owner = OrganizationFactory(acronym="IMO", name="International Maritime Organization")
    chosen = OrganizationFactory(acronym="WCO", name="World Customs Organization")
    third = OrganizationFactory(acronym="OPCW", name="Organisation for the Prohibition of Chemical Weapons")
    focal = UserFactory(username="imo-focal", role=Role.FOCAL_POINT, organization=owner)
    program = program_create(
        actor=focal,
        organization=owner,
        title=TITLE,
        summary="Boarding and inspection of vessels suspected of carrying proliferation-sensitive cargo.",
        state=State.SUBMITTED,
        audience=Audience.SELECTED,
        shared_with=[chosen],
    )
    return {
        "program": program,
        "chosen_member": UserFactory(username="wco-member", organization=chosen),
        "third_member": UserFactory(username="opcw-member", organization=third),
    }


def search_from_the_navigation(page, words: str) -> None:
    box = page.get_by_role("searchbox", name="Search the portal")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")


def test_a_member_of_the_selected_iro_finds_the_shared_program(page, browser_sign_in, shared_program, console_errors):
    browser_sign_in(page, "wco-member")

    search_from_the_navigation(page, "maritime vessels")

    result = page.locator("#results-programs").get_by_role("link", name=TITLE)
    assert result.count() == 1
    # The summary's matching word is marked in the snippet.
    assert page.locator("#results-programs mark").first.inner_text() == "vessels"
    result.click()
    page.wait_for_url(f"**/programs/{shared_program['program'].pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(TITLE)
    assert console_errors == []


def test_a_member_of_a_third_iro_does_not_find_it(page, browser_sign_in, shared_program, console_errors):
    browser_sign_in(page, "opcw-member")

    search_from_the_navigation(page, "maritime vessels")

    assert page.locator("#results-programs").count() == 0
    assert "Nothing matches" in page.locator("main").inner_text()
    assert TITLE not in page.content()
    # Its own search box on the results page says the same, section by section.
    page.get_by_role("link", name="Programs", exact=True).last.click()
    assert "No programs match" in page.locator("main").inner_text()
    assert console_errors == []


def test_the_program_lists_keywords_match_words_in_any_order_as_search_does(
    page, browser_sign_in, shared_program, console_errors
):
    # Words in another order than the title's, an inflected form ("vessel" for "vessels") and a word of the summary:
    # the list's keyword box matches like the search, not as one exact phrase.
    browser_sign_in(page, "wco-member")
    page.goto("/programs/")

    page.get_by_label("Keywords").fill("vessel interdiction maritime")
    page.get_by_label("Keywords").press("Enter")
    page.wait_for_url("**/programs/?*q=vessel+interdiction+maritime*")

    table = page.locator("main table")
    assert table.get_by_role("link", name=TITLE).count() == 1
    # A word no program has finds nothing, and the page says so rather than showing everything.
    page.get_by_label("Keywords").fill("maritime zeppelin")
    page.get_by_label("Keywords").press("Enter")
    page.wait_for_url("**/programs/?*q=maritime+zeppelin*")
    assert page.get_by_role("link", name=TITLE).count() == 0
    assert "No program matches these filters" in page.locator("main").inner_text()
    assert console_errors == []
