"""Arabic pages mirror what points a direction: the dashboard's charts and arrows; dates read in each locale.

The boxes are measured in Chromium, so a drawing that only looked mirrored in the markup (anchors flipped by the
page's direction, labels pushed outside the chart) fails here.
"""

from __future__ import annotations

from datetime import date

import pytest

from confidentiality.models import Audience, State
from iros.models import Interaction
from programs.models import Program
from tests.factories import InteractionFactory, OrganizationFactory, ProgramFactory, ThematicAreaFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def committee_world(browser_sign_in):
    organization = OrganizationFactory(acronym="RTLO")
    areas = [ThematicAreaFactory(), ThematicAreaFactory()]
    for index in range(3):
        program = ProgramFactory(
            organization=organization,
            state=State.SUBMITTED,
            audience=Audience.COMMITTEE,
            start_date=date(2024, 3, 15),
            end_date=date(2025, 6, 30),
            title=f"Border programme {index}",
        )
        program.thematic_areas.set(areas[: index % 2 + 1])
    for year in (2022, 2024):
        interaction = InteractionFactory(date=date(year, 5, 2), kind=Interaction.Kind.MEETING, public=True)
        interaction.organizations.add(organization)
    return organization


def _dashboard_in(new_page, browser_sign_in, language: str):
    UserFactory(username=f"expert-{language}", role="committee", language=language)
    page = new_page()
    browser_sign_in(page, f"expert-{language}")
    page.goto("/")
    return page


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box, f"{selector} is not drawn"
    return box


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_dashboard_charts_read_from_the_reading_side(committee_world, new_page, browser_sign_in, language):
    # given a Committee expert reading the dashboard in English or Arabic
    page = _dashboard_in(new_page, browser_sign_in, language)
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")

    # then the bars grow away from their labels, from the left in English and from the right in Arabic
    chart = _box(page, "#chart-thematic")
    label = _box(page, "#chart-thematic .bar-row .bar-label")
    bar = _box(page, "#chart-thematic .bar-row .bar")
    value = _box(page, "#chart-thematic .bar-row .bar-value")
    for box in (label, bar, value):  # every text stays inside the drawing
        assert chart["x"] - 1 <= box["x"] and box["x"] + box["width"] <= chart["x"] + chart["width"] + 1
    if language == "ar":
        assert label["x"] >= bar["x"] + bar["width"] - 1, "the label stands right of its bar"
        assert value["x"] + value["width"] <= bar["x"] + 1, "the value follows the bar's end, on its left"
        assert bar["x"] + bar["width"] > chart["x"] + chart["width"] / 2, "the bar starts on the right half"
    else:
        assert label["x"] + label["width"] <= bar["x"] + 1
        assert value["x"] >= bar["x"] + bar["width"] - 1
        assert bar["x"] < chart["x"] + chart["width"] / 2

    # and the column chart's value axis stands on the reading side, its first year next to it
    columns = page.locator("#chart-interactions .column")
    first_year = columns.filter(has_text="2022").locator(".axis-label").bounding_box()
    last_year = columns.filter(has_text="2024").locator(".axis-label").bounding_box()
    axis = _box(page, "#chart-interactions > .axis-label")
    if language == "ar":
        assert first_year["x"] > last_year["x"] and axis["x"] > first_year["x"] + first_year["width"]
    else:
        assert first_year["x"] < last_year["x"] and axis["x"] + axis["width"] < first_year["x"]


def test_arrows_point_the_reading_way_and_dates_read_in_the_locale(committee_world, new_page, browser_sign_in):
    # given a program of 15 March 2024 – 30 June 2025 read in Arabic and in Russian
    page = _dashboard_in(new_page, browser_sign_in, "ar")
    page.goto("/programs/?columns=title,period")
    # then the period in the table is in the Arabic short format, its arrow mirrored (pointing left)
    period = page.locator("td", has=page.locator(".dir-arrow")).first
    assert "15\u200f/03\u200f/2024" in period.inner_text()
    transform = period.locator(".dir-arrow").evaluate("element => getComputedStyle(element).transform")
    assert transform.startswith("matrix(-1"), transform
    program = Program.objects.filter(organization=committee_world).order_by("title").first()
    page.goto(program.get_absolute_url())
    assert "15 مارس، 2024" in page.locator("main").inner_text()

    russian = _dashboard_in(new_page, browser_sign_in, "ru")
    russian.goto(program.get_absolute_url())
    text = russian.locator("main").inner_text()
    assert "15 марта 2024 г." in text and "30 июня 2025 г." in text
    russian.goto("/programs/?columns=title,period")
    period = russian.locator("td", has=russian.locator(".dir-arrow")).first
    assert "15.03.2024" in period.inner_text()
    assert period.locator(".dir-arrow").evaluate("element => getComputedStyle(element).transform") == "none"
