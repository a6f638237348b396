"""IGO-table interactions from a spreadsheet: Committee experts and administrators only, through
`iros.services`; the interactions export imports back unchanged."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from confidentiality.models import Audience, State
from iros.models import Interaction
from tests.factories import AgreementFactory, EventFactory, InteractionFactory, api_client_for
from tests.imports.files import counts, csv_file, post_import

pytestmark = pytest.mark.django_db

SLUG = "interactions"


@pytest.fixture
def expert(people):
    return api_client_for(people["committee"])


def row(**cells) -> dict:
    return {"Date": "2011-06-15", "Kind": "meeting", "Organizations": "OWNER", "Summary": "Met", **cells}


@pytest.mark.parametrize("persona", ["owner_focal", "owner_member", "other_member"])
def test_iro_users_cannot_import_interactions(people, orgs, persona):
    response = post_import(api_client_for(people[persona]), SLUG, csv_file([row()]), dry_run=True)

    assert response.status_code == 403
    assert "Committee" in response.json()["detail"]
    assert not Interaction.objects.exists()


def test_an_interaction_is_recorded_with_its_organizations_links_and_precision(expert, people, orgs, make_program):
    event = EventFactory(title="Vienna outreach", start_date=date(2010, 12, 15))
    agreement = AgreementFactory()
    program = make_program(title="Visible program")
    rows = [
        row(
            Key="I-1",
            Date="2010-12",
            Kind="Participation in an outreach event",
            Organizations="Owner Organization; CHOSEN",
            Summary="Attended",
            Outcome="Useful",
            **{"Follow-up": "Write", "Follow-up due": "2011-01", "Event": "vienna OUTREACH", "Public": "yes"},
            Program=str(program.pk),
            Agreement=str(agreement.pk),
        ),
        row(Key="I-2", Date="2011-06-01", Precision="year", Organizations="OWNER OTHER"),
    ]

    response = post_import(expert, SLUG, csv_file(rows), dry_run=False)

    assert response.status_code == 200, response.json()
    first = Interaction.objects.get(external_key="I-1")
    assert (first.date, first.date_precision, first.kind) == (date(2010, 12, 1), "month", "outreach")
    assert {org.acronym for org in first.organizations.all()} == {"OWNER", "CHOSEN"}
    assert (first.outcome, first.follow_up, first.follow_up_due) == ("Useful", "Write", date(2011, 1, 31))
    assert (first.event, first.program, first.agreement, first.public) == (event, program, agreement, True)
    assert first.recorded_by == people["committee"]
    second = Interaction.objects.get(external_key="I-2")
    assert (second.date, second.date_precision) == (date(2011, 6, 1), "year")
    assert {org.acronym for org in second.organizations.all()} == {"OWNER", "OTHER"}


def test_the_exported_list_imports_back_with_no_change(client, expert, people, orgs):
    event = EventFactory(title="Vienna outreach")
    for number, precision in enumerate(["day", "month", "year"]):
        interaction = InteractionFactory(
            date=date(2011, 1 + number, 1),
            date_precision=precision,
            summary=f"=Summary {number}",
            event=event if number else None,
            public=bool(number % 2),
            follow_up_due=date(2012, 1, 1) if number else None,
            external_key=f"K-{number}" if number else "",
        )
        interaction.organizations.set([orgs["owner"], orgs["other"]][: number + 1])
    before = list(Interaction.objects.order_by("pk").values())
    client.force_login(people["committee"])
    exported = b"".join(client.get(reverse("igo:interactions_export_csv")).streaming_content)

    response = post_import(expert, SLUG, SimpleUploadedFile("export.csv", exported), dry_run=False)

    assert response.status_code == 200, response.json()
    assert counts(response) == (0, 0, 3)
    assert list(Interaction.objects.order_by("pk").values()) == before


def test_a_row_with_an_id_or_a_key_updates_that_interaction(expert, orgs):
    by_id = InteractionFactory(summary="Old")
    by_id.organizations.set([orgs["owner"]])
    by_key = InteractionFactory(summary="Keyed", external_key="K-1", date=date(2011, 6, 15))
    by_key.organizations.set([orgs["owner"]])
    rows = [
        row(ID=str(by_id.pk), Date=by_id.date.isoformat(), Summary="New"),
        row(Key="K-1", Summary="Keyed", Organizations="OWNER; OTHER"),
    ]

    response = post_import(expert, SLUG, csv_file(rows), dry_run=False)

    assert counts(response) == (0, 2, 0)
    by_id.refresh_from_db()
    assert by_id.summary == "New"
    assert {org.acronym for org in by_key.organizations.all()} == {"OWNER", "OTHER"}


def test_links_the_expert_may_not_see_read_like_missing_ones(expert, orgs, make_program):
    draft = make_program(state=State.DRAFT, audience=Audience.COMMITTEE)
    rows = [row(Program=str(draft.pk)), row(Program="999999"), row(Event="No such event")]

    response = post_import(expert, SLUG, csv_file(rows), dry_run=True)

    errors = response.json()["errors"]
    assert [(error["row"], error["column"]) for error in errors] == [(2, "Program"), (3, "Program"), (4, "Event")]
    assert errors[0]["message"] == errors[1]["message"]


def test_an_event_named_by_a_title_two_events_share_is_a_problem(expert, orgs):
    EventFactory(title="Workshop")
    EventFactory(title="Workshop")
    keyed = EventFactory(title="Workshop", external_key="W-3")

    ambiguous = post_import(expert, SLUG, csv_file([row(Event="Workshop")]), dry_run=True)
    by_key = post_import(expert, SLUG, csv_file([row(Event="W-3"), row(Event=str(keyed.pk))]), dry_run=False)

    assert "Several events" in ambiguous.json()["errors"][0]["message"]
    assert counts(by_key) == (2, 0, 0)
    assert set(Interaction.objects.values_list("event", flat=True)) == {keyed.pk}


def test_the_forms_rules_are_row_problems(expert, orgs):
    rows = [
        row(Organizations=""),
        row(Organizations="NOBODY"),
        row(**{"Follow-up due": "2011-06-01"}),
        row(Kind="lunch", Date="15/06/2011"),
    ]

    response = post_import(expert, SLUG, csv_file(rows), dry_run=False)

    assert response.status_code == 400
    assert {(error["row"], error["column"]) for error in response.json()["errors"]} == {
        (2, "Organizations"),
        (3, "Organizations"),
        (4, "Follow-up due"),
        (5, "Kind"),
        (5, "Date"),
    }
    assert not Interaction.objects.exists()
