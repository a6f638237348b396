"""A Committee expert opens the IGO tables, filters them and downloads the CSV, in a real browser."""

import csv
import io
from datetime import date

import pytest

from iros.models import Interaction
from portal.accounts.models import Role
from tests.factories import InteractionFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def interactions():
    au = OrganizationFactory(acronym="AU", name="African Union")
    osce = OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    for organization, kind, when in [
        (au, Interaction.Kind.BRIEFING, date(2011, 3, 1)),
        (au, Interaction.Kind.MEETING, date(2011, 5, 1)),
        (au, Interaction.Kind.MEETING, date(2012, 5, 1)),
        (osce, Interaction.Kind.MEETING, date(2012, 9, 1)),
    ]:
        InteractionFactory(kind=kind, date=when).organizations.set([organization])
    return {"AU": au, "OSCE": osce}


def test_committee_expert_filters_the_igo_tables_and_downloads_the_csv(
    page, browser_sign_in, interactions, console_errors
):
    expert = UserFactory(username="expert", role=Role.COMMITTEE)

    browser_sign_in(page, expert.username)

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="IGO tables").click()
    page.wait_for_url("**/igo-tables/")
    assert page.get_by_role("heading", level=1).inner_text() == "IGO tables"
    au_row = page.locator("#igo-table tbody tr", has_text="African Union")
    assert au_row.locator(".igo-count-total").inner_text() == "3"

    # Filter by year: only 2011 counts.
    page.select_option("#id_year", "2011")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/igo-tables/?*year=2011*")
    assert au_row.locator(".igo-count-total").inner_text() == "2"
    assert page.locator("#igo-table tbody tr", has_text="OSCE").locator(".igo-count-total").count() == 0

    # Then by kind: one column left.
    page.select_option("#id_kind", "meeting")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/igo-tables/?*kind=meeting*")
    assert page.locator("#igo-table thead th.igo-kind").count() == 1

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("igo-table-") and download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Acronym", "Organization", "Meeting"]
    by_acronym = {row[0]: row for row in rows[1:-1]}
    assert by_acronym["AU"][2] == "1"  # the 2011 meeting only
    assert by_acronym["OSCE"][2] == "0"
    assert rows[-1][0].startswith("Total")

    # A cell links to the interactions it counts.
    au_row = page.locator("#igo-table tbody tr", has_text="African Union")
    au_row.locator("a.igo-count").first.click()
    page.wait_for_url("**/igo-tables/interactions/?*organization=AU*")
    assert page.locator("#interaction-table tbody tr").count() == 1
    assert console_errors == []
