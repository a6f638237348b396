"""Outreach events from a spreadsheet: Committee experts and administrators, through `iros.services`."""

from __future__ import annotations

from datetime import date

import pytest

from iros.models import Event
from tests.factories import EventFactory, ThematicAreaFactory, api_client_for, m49_regions
from tests.imports.files import counts, csv_file, post_import

pytestmark = pytest.mark.django_db

SLUG = "events"


@pytest.fixture
def expert(people):
    return api_client_for(people["committee"])


def test_an_event_is_recorded_with_its_region_country_areas_and_participants(expert, orgs):
    m49_regions()
    ThematicAreaFactory(code="nuclear", name="Nuclear weapons")
    rows = [
        {
            "Key": "VIE-2010",
            "Title": "Vienna outreach",
            "Start date": "2010-12-15",
            "End date": "2010-12-16",
            "Place": "Vienna",
            "Country": "Austria",
            "Organizer": "UNODA",
            "Theme": "Export controls",
            "Region": "Europe",
            "Thematic areas": "Nuclear weapons",
            "Participating organizations": "OWNER; Other Organization",
            "Organizations attending": "12",
            "Description": "Two days",
        },
        {"Title": "Year only", "Start date": "2011", "End date": "2011", "Region": "142", "Country": "KAZ"},
    ]

    response = post_import(expert, SLUG, csv_file(rows), dry_run=False)

    assert response.status_code == 200, response.json()
    vienna = Event.objects.get(external_key="VIE-2010")
    assert (vienna.start_date, vienna.end_date, vienna.place, vienna.country) == (
        date(2010, 12, 15),
        date(2010, 12, 16),
        "Vienna",
        "AT",
    )
    assert (vienna.region.code, vienna.attendance_count, vienna.organizer) == ("150", 12, "UNODA")
    assert [area.code for area in vienna.thematic_areas.all()] == ["nuclear"]
    assert {org.acronym for org in vienna.participants.all()} == {"OWNER", "OTHER"}
    year = Event.objects.get(title="Year only")
    assert (year.start_date, year.end_date, year.country, year.region.code) == (
        date(2011, 1, 1),
        date(2011, 12, 31),
        "KZ",
        "142",
    )


def test_a_row_with_an_id_or_a_key_updates_that_event_and_again_changes_nothing(expert, orgs):
    by_id = EventFactory(title="Old title", start_date=date(2010, 1, 1))
    EventFactory(title="Keyed", external_key="K-1", start_date=date(2011, 1, 1))
    rows = [
        {"ID": str(by_id.pk), "Title": "New title", "Start date": "2010-01-01"},
        {"Key": "K-1", "Title": "Keyed", "Start date": "2011-01-01", "Participating organizations": "OWNER"},
    ]

    first = post_import(expert, SLUG, csv_file(rows), dry_run=False)
    again = post_import(expert, SLUG, csv_file(rows), dry_run=False)

    assert counts(first) == (0, 2, 0) and counts(again) == (0, 0, 2)
    by_id.refresh_from_db()
    assert by_id.title == "New title"
    assert [org.acronym for org in Event.objects.get(external_key="K-1").participants.all()] == ["OWNER"]


def test_the_forms_rules_are_row_problems(expert, orgs):
    rows = [
        {"Title": "Backwards", "Start date": "2011-05-01", "End date": "2011-04"},
        {"Title": "Nowhere", "Start date": "2011", "Country": "Atlantis", "Region": "Middle-earth"},
        {"Title": "Counted", "Start date": "2011", "Organizations attending": "a dozen"},
        {"ID": "999999", "Title": "Missing", "Start date": "2011"},
    ]

    response = post_import(expert, SLUG, csv_file(rows), dry_run=False)

    assert response.status_code == 400
    assert {(error["row"], error["column"]) for error in response.json()["errors"]} == {
        (2, "End date"),
        (3, "Country"),
        (3, "Region"),
        (4, "Organizations attending"),
        (5, "ID"),
    }
    assert not Event.objects.filter(title__in=["Backwards", "Nowhere", "Counted", "Missing"]).exists()
