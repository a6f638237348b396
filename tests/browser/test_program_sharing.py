"""A focal point shares a program with one other IRO, in a real browser; a third IRO never sees it."""

import os

import pytest

from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from iros.models import ThematicArea
from portal.accounts.models import Role
from programs.models import Program
from tests.browser.searchable_select import choose_in
from tests.factories import (
    OrganizationFactory,
    ProgramFactory,
    RegionFactory,
    ThematicAreaFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Container Control Programme — West Africa"
# Set to a directory to keep screenshots of the list, the form with its preview and the detail page.
SCREENSHOT_DIR = os.environ.get("PORTAL_SCREENSHOT_DIR")


@pytest.fixture
def world():
    owner = OrganizationFactory(acronym="UNODC", name="United Nations Office on Drugs and Crime")
    chosen = OrganizationFactory(acronym="WCO", name="World Customs Organization")
    third = OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    for code, family, name, position in [
        ("chemical", ThematicArea.Family.WEAPON, "Chemical weapons", 1),
        ("biological", ThematicArea.Family.WEAPON, "Biological weapons", 2),
        ("nuclear", ThematicArea.Family.WEAPON, "Nuclear weapons", 3),
        ("op3c", ThematicArea.Family.RESOLUTION, "OP3(c) border controls", 1),
        ("op3d", ThematicArea.Family.RESOLUTION, "OP3(d) export controls", 2),
        ("training", ThematicArea.Family.ASSISTANCE, "Training", 1),
        ("equipment", ThematicArea.Family.ASSISTANCE, "Equipment", 2),
    ]:
        ThematicAreaFactory(code=code, family=family, name=name, position=position)
    RegionFactory(code="011", name="Western Africa")
    RegionFactory(code="002", name="Africa")
    for title, organization, audience in [
        ("Border security training for Central Asia", third, Audience.PUBLIC),
        ("Strategic trade control outreach", chosen, Audience.ALL_IROS),
    ]:
        program = ProgramFactory(
            organization=organization, title=title, state=State.SUBMITTED, audience=audience, status="ongoing"
        )
        program.thematic_areas.set(ThematicArea.objects.filter(code__in=["op3c", "training"]))
        grants_write(program)
    return {
        "focal": UserFactory(username="fatima", role=Role.FOCAL_POINT, organization=owner, first_name="Fatima"),
        "chosen_member": UserFactory(username="wei", role=Role.MEMBER, organization=chosen),
        "third_member": UserFactory(username="olga", role=Role.MEMBER, organization=third),
    }


def screenshot(page, name):
    if SCREENSHOT_DIR:
        page.screenshot(path=os.path.join(SCREENSHOT_DIR, f"{name}.png"), full_page=True)


def test_a_focal_point_shares_a_program_with_one_iro(page, new_page, browser_sign_in, world, console_errors):
    # The focal point signs in and opens the form from the programs list.
    browser_sign_in(page, "fatima")
    page.goto("/programs/")
    page.get_by_role("link", name="New program").click()
    page.wait_for_url("**/programs/new/")

    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("Port control units profiling high-risk containers.")
    page.get_by_label("Status").select_option("ongoing")
    page.get_by_label("Start date").fill("2024-03-01")
    page.get_by_label("Chemical weapons").check()
    page.get_by_label("OP3(c) border controls").check()
    choose_in(page, "id_beneficiary_countries", "ghana", "GH")
    choose_in(page, "id_beneficiary_countries", "senegal", "SN")
    page.get_by_label("Tags").fill("containers, ports")
    page.get_by_label("The Committee and selected IROs").check()
    choose_in(page, "id_shared_with", "customs", "WCO")

    # The preview names who will see it, and saves nothing.
    page.get_by_role("button", name="Preview audience").click()
    page.wait_for_load_state()
    preview = page.locator("#audience-preview")
    assert "World Customs Organization" in preview.inner_text()
    assert "OSCE" not in preview.inner_text()
    assert not Program.objects.filter(title=TITLE).exists()
    # The form came back as it was filled.
    assert page.get_by_label("Title").input_value() == TITLE
    assert page.get_by_label("The Committee and selected IROs").is_checked()
    screenshot(page, "program-form-preview")

    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_url("**/programs/*/")
    program = Program.objects.get(title=TITLE)
    assert (program.state, program.audience) == (State.SUBMITTED, Audience.SELECTED)
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert "WCO" in page.locator("#shared-with").inner_text()
    assert page.locator("#sharing-audit li").count() == 1
    screenshot(page, "program-detail")
    detail_path = f"/programs/{program.pk}/"

    # A member of the chosen IRO finds it in the list and opens it.
    chosen = new_page()
    browser_sign_in(chosen, "wei")
    chosen.goto("/programs/")
    row = chosen.locator("#program-table tbody tr", has_text=TITLE)
    assert row.count() == 1
    screenshot(chosen, "program-list")
    row.get_by_role("link", name=TITLE).click()
    chosen.wait_for_url(f"**{detail_path}")
    assert "Its owner shared it with your organization." in chosen.locator("#why-visible").inner_text()
    assert chosen.locator("#shared-with").count() == 0

    # A member of a third IRO does not see it, and its URL is a 404.
    third = new_page()
    browser_sign_in(third, "olga")
    third.goto("/programs/")
    assert third.locator("#program-table").inner_text().count(TITLE) == 0
    assert "Border security training" in third.locator("#program-table").inner_text()
    assert console_errors == []  # no CSP violation or missing asset on any page so far
    response = third.goto(detail_path)
    assert response.status == 404
    assert TITLE not in third.content()
    # The only error the browser reports is the 404 asked for.
    assert console_errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
