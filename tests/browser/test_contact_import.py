"""A focal point imports its points of contact in a real browser: from the list's Import button, a preview that
names the one problem, the fixed file imported, the contacts listed (the generic import pages of every kind)."""

import pytest

from confidentiality.models import State
from contacts.models import PointOfContact
from portal.accounts.models import Role
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = "Key,Role,Person,E-mail,Designated since,State,Audience\n"
FIRST = "POC-A,assistance,Jane Doe,jane.doe@example.org,2011-06,submitted,all_iros\n"
WRONG = "POC-I,implementation,Li Wei,not an address,2012,submitted,committee\n"
FIXED = "POC-I,implementation,Li Wei,li.wei@example.org,2012,submitted,committee\n"


@pytest.fixture
def owner():
    owner = OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    UserFactory(username="fatima", role=Role.FOCAL_POINT, organization=owner, first_name="Fatima")
    return owner


def upload(page, content: str) -> None:
    file = {"name": "contacts.csv", "mimeType": "text/csv", "buffer": content.encode()}
    page.get_by_label("Spreadsheet").set_input_files(files=[file])
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()


def test_a_focal_point_imports_points_of_contact_from_the_list(page, browser_sign_in, owner, console_errors):
    browser_sign_in(page, "fatima")
    page.goto("/contacts/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.wait_for_url("**/contacts/import/")

    upload(page, HEADER + FIRST + WRONG)
    problems = page.locator("#import-preview .import-problems").inner_text()
    assert "Row 3, column E-mail:" in problems
    assert page.get_by_role("button", name="Import", exact=True).count() == 0
    assert not PointOfContact.objects.exists()

    upload(page, HEADER + FIRST + FIXED)
    assert "Importing will create 2, update 0 and leave 0 unchanged." in page.locator("#import-preview").inner_text()
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state()
    assert "2 created, 0 updated, 0 unchanged." in page.locator("#import-result").inner_text()
    assert PointOfContact.objects.filter(organization=owner, state=State.SUBMITTED).count() == 2

    page.get_by_role("link", name="See the points of contact").click()
    page.wait_for_url("**/contacts/")
    assert "Jane Doe" in page.content() and "Li Wei" in page.content()
    assert console_errors == []
