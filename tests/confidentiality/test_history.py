"""The field-level history every submission kind shares (`confidentiality.selectors.submission_history_for`)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from confidentiality import services as sharing
from confidentiality.models import Audience, State
from confidentiality.selectors import submission_history_for
from contacts import services as contact_services
from contacts.kinds import CONTACT
from contacts.models import ContactRole
from programs import services as program_services
from programs.kinds import PROGRAM
from tests.factories import RegionFactory, ThematicAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes():
    return {
        "chemical": ThematicAreaFactory(code="chemical", name="Chemical weapons"),
        "border": ThematicAreaFactory(code="border-controls", name="Border controls", family="resolution"),
        "asia": RegionFactory(code="143", name="Central Asia"),
    }


@pytest.fixture
def focal(people):
    return people["owner_focal"]


def _program(focal, orgs, **fields):
    values = {"title": "Border workshop", "thematic_areas": ["chemical"], **fields}
    return program_services.program_create(actor=focal, organization=orgs["owner"], **values)


def _lines(entry) -> dict[str, object]:
    """{label: "old → new"} or {label: (added, removed)} of one entry."""
    return {
        change.label: (change.added, change.removed) if change.is_set else f"{change.old} → {change.new}"
        for change in entry.changes
    }


def _history(actor, record, kind=PROGRAM):
    return submission_history_for(actor=actor, kind=kind, record=record)


def test_each_field_reads_as_people_read_it(focal, orgs, codes):
    # given a program, then one edit of most of its fields
    program = _program(
        focal,
        orgs,
        budget=Decimal("10000"),
        currency="EUR",
        start_date=date(2024, 1, 1),
        beneficiary_countries=["KZ"],
    )
    program_services.program_update(
        actor=focal,
        program=program,
        budget=Decimal("12000.50"),
        status="ongoing",
        start_date=date(2024, 3, 15),
        assistance_on_request=True,
        thematic_areas=["border-controls"],
        regions=["143"],
        beneficiary_countries=["KZ", "UZ"],
    )

    # when
    history = _history(focal, program)

    # then: one entry for the edit (its codes included), one for the creation
    assert [entry.action for entry in history.edits] == ["Changed", "Created"]
    assert _lines(history.edits[0]) == {
        "Budget": "10,000 EUR → 12,000.50 EUR",
        "Status": "Planned → Ongoing",
        "Start date": "1 January 2024 → 15 March 2024",
        "Assistance available on request": "No → Yes",
        "Thematic areas": (("Border controls",), ("Chemical weapons",)),
        "Regions": (("Central Asia",), ()),
        "Beneficiary countries": (("Uzbekistan",), ()),
    }
    assert not history.withheld


def test_a_currency_alone_reads_with_its_budget_and_a_save_without_change_is_no_entry(focal, orgs, codes):
    program = _program(focal, orgs, budget=Decimal("5000"), currency="USD")
    program_services.program_update(actor=focal, program=program, title="Border workshop")  # nothing changes
    program_services.program_update(actor=focal, program=program, currency="EUR")

    edits = _history(focal, program).edits

    assert len(edits) == 2
    assert _lines(edits[0]) == {"Budget": "5,000 USD → 5,000 EUR"}


def test_an_edit_of_codes_alone_right_after_the_last_save_is_its_own_entry(focal, orgs, codes):
    # given a program, and at once (well within a few seconds) a change of its thematic areas only, then of its
    # regions only: each service call is one edit, however soon after the one before
    program = _program(focal, orgs)
    program_services.program_update(actor=focal, program=program, thematic_areas=["border-controls"])
    program_services.program_update(actor=focal, program=program, regions=["143"])

    edits = _history(focal, program).edits

    assert [entry.action for entry in edits] == ["Changed", "Changed", "Created"]
    assert _lines(edits[0]) == {"Regions": (("Central Asia",), ())}
    assert _lines(edits[1]) == {"Thematic areas": (("Border controls",), ("Chemical weapons",))}


def test_each_service_call_writes_one_version_with_the_codes_it_ends_with(focal, orgs, codes):
    program = _program(focal, orgs, regions=["143"])
    program_services.program_update(actor=focal, program=program, thematic_areas=["border-controls"], regions=[])

    versions = list(program.history.order_by("history_date"))

    assert [version.history_type for version in versions] == ["+", "~"]
    created, changed = versions
    # (a version's codes are rows of its own link tables, naming the area or region)
    assert [row.thematicarea.code for row in created.thematic_areas.all()] == ["chemical"]
    assert [row.region.code for row in created.regions.all()] == ["143"]
    assert [row.thematicarea.code for row in changed.thematic_areas.all()] == ["border-controls"]
    assert list(changed.regions.all()) == []


def test_the_sharing_audit_reads_as_changes_of_state_audience_and_organizations(focal, orgs, codes, people):
    program = _program(focal, orgs)
    sharing.submission_change_sharing(
        actor=focal, record=program, state=State.SUBMITTED, audience=Audience.SELECTED, shared_with=["CHOSEN"]
    )
    sharing.submission_set_audience(actor=focal, record=program, audience=Audience.ALL_IROS)

    history = _history(people["committee"], program)

    latest, first = history.sharing
    assert latest.action == "Audience changed"
    assert _lines(latest) == {
        "Audience": "The Committee and selected IROs → The Committee and all IROs",
        "Shared with": ((), ("CHOSEN",)),
    }
    assert latest.by == focal.username
    assert _lines(first) == {
        "State": "Draft → Submitted",
        "Audience": "The Committee only → The Committee and selected IROs",
        "Shared with": (("CHOSEN",), ()),
    }


def test_the_committee_never_reads_what_a_draft_said(focal, orgs, codes, people):
    # given: a draft edited twice (its earlier summary was never submitted), then submitted, then edited again
    program = _program(focal, orgs, summary="DRAFT-SECRET first words")
    program_services.program_update(actor=focal, program=program, summary="Submitted words")
    sharing.submission_submit(actor=focal, record=program)
    program_services.program_update(actor=focal, program=program, summary="Later words")

    committee = _history(people["committee"], program)
    owner = _history(people["owner_member"], program)

    # then: the Committee sees the change made after submission, and is told earlier ones are left out
    assert [_lines(entry) for entry in committee.edits] == [{"Summary": "Submitted words → Later words"}]
    assert committee.withheld
    assert "DRAFT-SECRET" not in repr(committee)
    # the owner organization reads it all
    assert [entry.action for entry in owner.edits] == ["Changed", "Changed", "Created"]
    assert not owner.withheld


def test_an_organization_shared_with_later_reads_only_what_it_could_see(focal, orgs, codes, people):
    # given: submitted to the Committee only, edited, then shared with CHOSEN and edited again
    program = _program(focal, orgs, summary="COMMITTEE-ONLY words", state=State.SUBMITTED)
    program_services.program_update(actor=focal, program=program, summary="Words for the chosen")
    sharing.submission_set_audience(actor=focal, record=program, audience=Audience.SELECTED, shared_with=["CHOSEN"])
    program_services.program_update(actor=focal, program=program, summary="Newest words")

    history = _history(people["selected_member"], program)

    # then: only the change between two versions it could see, no sharing audit, no names of people
    assert [_lines(entry) for entry in history.edits] == [{"Summary": "Words for the chosen → Newest words"}]
    assert history.withheld
    assert history.sharing == []
    assert all(entry.by is None for entry in history.edits)
    assert "COMMITTEE-ONLY" not in repr(history)


def test_the_same_selector_serves_points_of_contact(focal, orgs, people):
    contact = contact_services.contact_create(
        actor=focal, organization=orgs["owner"], role=ContactRole.ASSISTANCE, person="A. Person", since=date(2024, 1, 1)
    )
    contact_services.contact_update(actor=focal, contact=contact, person="B. Person", until=date(2025, 6, 30))

    [changed, created] = _history(focal, contact, kind=CONTACT).edits

    assert _lines(changed) == {"Person": "A. Person → B. Person", "Until": "— → 30 June 2025"}
    assert created.action == "Created"


def test_the_detail_page_shows_the_field_level_history(sign_in, focal, orgs, codes):
    program = _program(focal, orgs, budget=Decimal("10000"), currency="EUR")
    program_services.program_update(actor=focal, program=program, budget=Decimal("12000"))

    body = sign_in("owner_member").get(reverse("programs:detail", args=[program.pk])).content.decode()

    history = body.split('id="edit-history"')[1].split("</ol>")[0]
    assert "Budget:</span>" in history
    assert "<bdi>10,000 EUR</bdi>" in history and "<bdi>12,000 EUR</bdi>" in history


def test_reference_rows_read_in_the_readers_language(focal, orgs, codes):
    # given thematic areas and regions named in French (iros.models.TranslatedName)
    codes["asia"].name_translations = {"fr": "Asie centrale"}
    codes["asia"].save()
    codes["border"].name_translations = {"fr": "Contrôles aux frontières"}
    codes["border"].save()
    program = _program(focal, orgs)
    program_services.program_update(
        actor=focal, program=program, status="ongoing", thematic_areas=["border-controls"], regions=["143"]
    )

    # when a French reader reads the history
    with translation.override("fr"):
        lines = _lines(_history(focal, program).edits[0])

    # then the rows read in French; a row without a French name in English
    assert (("Contrôles aux frontières",), ("Chemical weapons",)) in lines.values()
    assert (("Asie centrale",), ()) in lines.values()
