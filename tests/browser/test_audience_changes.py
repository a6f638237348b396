"""A focal point narrows a submitted program's audience in a real browser (issue 11, problem 4): the preview names
who will lose access, saving asks first on a page naming them, nothing changes until confirmed, and the message
says who no longer sees it."""

import os

import pytest
from django.db import transaction

from confidentiality.models import Audience, State
from portal.accounts.models import Role
from programs.models import Program
from tests.factories import OrganizationFactory, ProgramFactory, UserFactory, submission_with_grants

# Set to a directory to keep screenshots of the preview and the confirmation.
SCREENSHOT_DIR = os.environ.get("PORTAL_SCREENSHOT_DIR")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def program():
    owner = OrganizationFactory(acronym="UNODC", name="United Nations Office on Drugs and Crime")
    wco = OrganizationFactory(acronym="WCO", name="World Customs Organization")
    osce = OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    UserFactory(username="fatima", role=Role.FOCAL_POINT, organization=owner)
    with transaction.atomic():  # the database checks at commit that a selected audience names organizations
        return submission_with_grants(
            ProgramFactory,
            organization=owner,
            title="Container Control Programme",
            state=State.SUBMITTED,
            audience=Audience.SELECTED,
            shared_with=[wco, osce],
        )


def screenshot(page, name):
    if SCREENSHOT_DIR:
        page.screenshot(path=os.path.join(SCREENSHOT_DIR, f"{name}.png"), full_page=True)


def sharing_of(program):
    program = Program.objects.get(pk=program.pk)
    return program.audience, sorted(program.shared_with.values_list("acronym", flat=True))


def test_a_focal_point_narrows_an_audience_sees_who_loses_access_and_confirms(
    page, browser_sign_in, program, console_errors
):
    browser_sign_in(page, "fatima")
    page.goto(f"/programs/{program.pk}/edit/")

    # The preview, asked before saving, compares with who sees the program now.
    page.get_by_label("The Committee only").check()
    page.locator("#preview-button").click()
    losses = page.locator("#preview-losses")
    losses.wait_for()
    assert "WCO" in losses.inner_text() and "OSCE" in losses.inner_text()
    preview = page.locator("#audience-preview").inner_text()
    assert "Will lose access once you save" in preview
    assert "Until it is submitted" not in preview
    screenshot(page, "audience-narrowing-preview")

    # Saving asks first, naming them; nothing has changed yet.
    page.locator("#save-changes").click()
    page.locator("#confirm-narrowing").wait_for()
    losing = page.locator("#losing-access").inner_text()
    assert "World Customs Organization" in losing and "Organization for Security and Co-operation" in losing
    assert sharing_of(program) == (Audience.SELECTED, ["OSCE", "WCO"])
    screenshot(page, "audience-narrowing-confirm")

    # Confirmed: saved, and the message says who no longer sees it.
    page.locator("#confirm-save").click()
    page.wait_for_url(f"**/programs/{program.pk}/")
    assert "No longer visible to OSCE, WCO." in page.locator(".alert-success").first.inner_text()
    assert sharing_of(program) == (Audience.COMMITTEE, [])
    screenshot(page, "audience-narrowing-saved")
    assert console_errors == []
