"""A focal point imports programs from a CSV in a real browser: one error in the preview, fixed, imported."""

import pytest

from confidentiality.models import State
from portal.accounts.models import Role
from portal.imports.models import ImportJob
from programs.models import Program
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = "Key,Title,Status,Start date,End date\n"
FIRST = "CCP-1,Container Control Programme — Sahel,ongoing,2024-01,\n"
WRONG = "BC-7,Border controls in Central Asia,planned,2025-06,2025-01\n"
FIXED = "BC-7,Border controls in Central Asia,planned,2025-06,2026-01\n"


@pytest.fixture
def owner():
    owner = OrganizationFactory(acronym="UNODC", name="United Nations Office on Drugs and Crime")
    UserFactory(username="fatima", role=Role.FOCAL_POINT, organization=owner, first_name="Fatima")
    return owner


def upload(page, content: str) -> None:
    file = {"name": "programs.csv", "mimeType": "text/csv", "buffer": content.encode()}
    page.get_by_label("Spreadsheet").set_input_files(files=[file])
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()


def test_a_focal_point_fixes_the_row_the_preview_names_and_imports(page, browser_sign_in, owner, console_errors):
    browser_sign_in(page, "fatima")
    page.goto("/programs/import/")

    # The preview names the row and the column of the one problem, writes nothing and offers no import.
    upload(page, HEADER + FIRST + WRONG)
    problems = page.locator("#import-preview .import-problems").inner_text()
    assert "Row 3, column End date: The end date cannot be before the start date." in problems
    assert page.get_by_role("button", name="Import", exact=True).count() == 0
    assert not Program.objects.exists()

    # The fixed file previews clean; Import writes both rows.
    upload(page, HEADER + FIRST + FIXED)
    assert "Importing will create 2, update 0 and leave 0 unchanged." in page.locator("#import-preview").inner_text()
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state()
    assert "2 created, 0 updated, 0 unchanged." in page.locator("#import-result").inner_text()
    assert Program.objects.filter(organization=owner, state=State.DRAFT).count() == 2

    # The new programs are in the list, and the import in the history.
    page.get_by_role("link", name="See the programs").click()
    page.wait_for_url("**/programs/")
    table = page.locator("#program-table").inner_text()
    assert "Container Control Programme — Sahel" in table and "Border controls in Central Asia" in table
    page.goto("/programs/import/history/")
    assert "programs.csv" in page.locator("#import-history").inner_text()
    assert ImportJob.objects.get().state == "done"
    assert console_errors == []
