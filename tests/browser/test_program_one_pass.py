"""A focal point enters a program with three partners and a document in one pass, in a real browser: rows are added
and removed without saving (static/js/formset_rows.js), and a refused file is named on the same page."""

import os

import pytest

from portal.accounts.models import Role
from programs.models import Document, Program
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Strategic trade controls for Central Asia"
# Set to a directory to keep screenshots of the form with its added rows and of a refused file.
SCREENSHOT_DIR = os.environ.get("PORTAL_SCREENSHOT_DIR")
PDF = {"name": "work-plan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 work plan"}


@pytest.fixture
def world():
    owner = OrganizationFactory(acronym="UNODC", name="United Nations Office on Drugs and Crime")
    for acronym, name in [
        ("WCO", "World Customs Organization"),
        ("OSCE", "Organization for Security and Co-operation in Europe"),
        ("IAEA", "International Atomic Energy Agency"),
    ]:
        OrganizationFactory(acronym=acronym, name=name)
    return UserFactory(username="fatima", role=Role.FOCAL_POINT, organization=owner)


def screenshot(page, name):
    if SCREENSHOT_DIR:
        page.screenshot(path=os.path.join(SCREENSHOT_DIR, f"{name}.png"), full_page=True)


def choose_partner(page, number: int, acronym: str, role: str) -> None:
    page.get_by_label(f"Partner {number}: organization", exact=True).select_option(acronym)
    page.get_by_label(f"Partner {number}: role", exact=True).select_option(role)


def test_three_partners_and_a_document_in_one_pass(page, browser_sign_in, world, console_errors):
    browser_sign_in(page, "fatima")
    page.goto("/programs/new/")
    page.locator("#id_title").fill(TITLE)

    # Two empty partner rows are offered; two more come with the button, without saving; one is removed again.
    partners = page.locator("#partners-table tbody tr:visible")
    assert partners.count() == 2
    add_partner = page.get_by_role("button", name="Add a partner")
    add_partner.click()
    assert page.locator("#id_partners-2-organization").evaluate("element => element === document.activeElement")
    add_partner.click()
    assert partners.count() == 4
    assert page.locator("input[name=partners-TOTAL_FORMS]").input_value() == "4"
    choose_partner(page, 1, "WCO", "partner")
    choose_partner(page, 2, "OSCE", "funder")
    choose_partner(page, 3, "UNODC", "lead")
    choose_partner(page, 4, "IAEA", "implementer")
    page.get_by_role("button", name="Remove partner 3").click()
    assert partners.count() == 3
    # The no-JavaScript hint is gone: rows come without saving.
    assert not page.get_by_text("Need more rows? Save, then edit again").is_visible()

    # A document, chosen on the same page.
    page.get_by_label("Document 1: file").set_input_files(PDF)
    page.get_by_label("Document 1: display name").fill("Work plan")
    screenshot(page, "program-form-one-pass")

    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url("**/programs/*/")

    program = Program.objects.get(title=TITLE)
    assert sorted((p.organization.acronym, p.role) for p in program.partnerships.all()) == [
        ("IAEA", "implementer"),
        ("OSCE", "funder"),
        ("WCO", "partner"),
    ]
    document = program.documents.get()
    assert (document.title, document.filename) == ("Work plan", "work-plan.pdf")
    assert "Attached: work-plan.pdf." in page.locator(".alert-success").inner_text()
    assert "Work plan" in page.locator("section[aria-labelledby=documents-heading]").inner_text()
    assert console_errors == []  # no CSP violation, no script error


def test_a_refused_file_is_named_on_the_same_page_and_the_rows_stay(page, browser_sign_in, world, console_errors):
    browser_sign_in(page, "fatima")
    page.goto("/programs/new/")
    page.locator("#id_title").fill(TITLE)
    page.get_by_role("button", name="Add a partner").click()
    choose_partner(page, 3, "WCO", "partner")
    page.get_by_role("button", name="Add another document").click()
    page.get_by_label("Document 1: file").set_input_files(PDF)
    page.get_by_label("Document 2: file").set_input_files(
        {"name": "report.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}
    )

    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()

    # The same form, the refusal naming the file at the top and beside its input; nothing written.
    assert page.url.endswith("/programs/new/")
    assert "report.exe: this type of file is not accepted" in page.locator("#documents-refused").inner_text()
    assert "choose it again before saving (work-plan.pdf)" in page.locator("#documents-choose-again").inner_text()
    assert page.get_by_label("Partner 3: organization", exact=True).input_value() == "WCO"
    assert not Program.objects.exists()
    assert not Document.objects.exists()
    screenshot(page, "program-form-refused-file")

    # Choosing the good file again saves it all.
    page.get_by_label("Document 1: file").set_input_files(PDF)
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url("**/programs/*/")
    assert Program.objects.get(title=TITLE).documents.count() == 1
    assert console_errors == []
