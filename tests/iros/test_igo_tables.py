"""The IGO tables: the Committee's interactions with IROs, per organization and kind, forms and exports."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from contacts.models import Demarche
from iros.models import DatePrecision, Event, Interaction
from portal.accounts.models import Role
from portal.kernel.forms import FORM_ERRORS_SUMMARY
from tests.factories import (
    PERSONAS,
    AgreementFactory,
    DemarcheFactory,
    EventFactory,
    InteractionFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    persona_user,
)
from tests.world import signed_in

pytestmark = pytest.mark.django_db

CANARY = "CANARY-osce-private-briefing"


def interaction(organizations, *, kind=Interaction.Kind.MEETING, when=date(2011, 5, 4), public=False, **fields):
    record = InteractionFactory(kind=kind, date=when, public=public, **fields)
    record.organizations.set(organizations)
    return record


@pytest.fixture
def world():
    africa = RegionFactory(code="002", name="Africa")
    western_africa = RegionFactory(code="011", name="Western Africa", parent=africa)
    europe = RegionFactory(code="150", name="Europe")
    au = OrganizationFactory(acronym="AU", name="African Union")
    au.regions.add(africa)
    ecowas = OrganizationFactory(acronym="ECOWAS", name="Economic Community of West African States")
    ecowas.regions.add(western_africa)
    osce = OrganizationFactory(acronym="OSCE", name="Organization for Security and Co-operation in Europe")
    osce.regions.add(europe)
    records = {
        "au_meeting": interaction([au], kind=Interaction.Kind.MEETING, when=date(2011, 3, 1)),
        "au_briefing": interaction([au], kind=Interaction.Kind.BRIEFING, when=date(2012, 6, 1)),
        "joint": interaction([au, osce], kind=Interaction.Kind.JOINT_ACTIVITY, when=date(2011, 9, 9)),
        "osce_private": interaction([osce], kind=Interaction.Kind.BRIEFING, when=date(2011, 4, 1), summary=CANARY),
        "osce_public": interaction([osce], kind=Interaction.Kind.MEETING, when=date(2012, 1, 1), public=True),
        "ecowas_letter": interaction([ecowas], kind=Interaction.Kind.CORRESPONDENCE, when=date(2011, 2, 2)),
    }
    return {"AU": au, "ECOWAS": ecowas, "OSCE": osce, **records}


def table_cells(response) -> dict[str, dict[str, int]]:
    """{acronym: {kind: count}} as the page's context shows it."""
    return {
        item["row"].organization.acronym: {cell["kind"]: cell["count"] for cell in item["cells"]}
        for item in response.context["rows"]
    }


def oracle(organization, *, year=None, kind=None) -> dict[str, int]:
    """The counts by kind, straight from the rows (the Committee's view)."""
    counts = {}
    for record in Interaction.objects.filter(organizations=organization):
        if (year and record.date.year != year) or (kind and record.kind != kind):
            continue
        counts[record.kind] = counts.get(record.kind, 0) + 1
    return counts


# --- access ---------------------------------------------------------------------------------------------------

IGO_PAGES = [
    ("igo:tables", []),
    ("igo:organization", ["AU"]),
    ("igo:interactions", []),
    ("igo:export_csv", []),
    ("igo:export_xlsx", []),
    ("igo:interactions_export_csv", []),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "args"), IGO_PAGES)
def test_every_page_renders_for_every_persona(client, world, persona, name, args):
    signed_in(client, persona_user(persona, world["AU"]))

    response = client.get(reverse(name, args=args))

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("persona", ["committee", "admin"])
def test_the_committee_and_administrators_see_every_row_with_exact_counts(client, world, persona):
    signed_in(client, persona_user(persona))

    response = client.get(reverse("igo:tables"))

    cells = table_cells(response)
    assert set(cells) == {"AU", "ECOWAS", "OSCE"}
    for acronym in cells:
        expected = oracle(world[acronym])
        assert {kind: count for kind, count in cells[acronym].items() if count} == expected
    body = response.content.decode()
    assert f'href="{reverse("igo:interactions")}?organization=AU&amp;kind=meeting"' in body
    # The joint activity counts once in the footer, though two organizations took part in it.
    assert response.context["table"].total == 6


@pytest.mark.parametrize("persona", ["member", "focal_point"])
def test_an_iro_user_sees_only_its_own_row_and_no_other_organization_s_interactions(client, world, persona):
    signed_in(client, persona_user(persona, world["AU"]))

    for url in [reverse("igo:tables"), reverse("igo:interactions"), reverse("igo:organization", args=["AU"])]:
        response = client.get(url)
        body = response.content.decode()
        assert CANARY not in body, url
        assert world["osce_public"].summary not in body, url
    table = client.get(reverse("igo:tables"))
    assert table_cells(table) == {
        "AU": {kind: oracle(world["AU"]).get(kind, 0) for kind in Interaction.Kind.values},
    }
    assert table.context["table"].total == 3


@pytest.mark.parametrize("persona", ["member", "focal_point"])
def test_another_iro_s_chronological_table_is_404_like_a_missing_one(client, world, persona):
    signed_in(client, persona_user(persona, world["AU"]))

    assert client.get(reverse("igo:organization", args=["OSCE"])).status_code == 404
    assert client.get(reverse("igo:organization", args=["NOPE"])).status_code == 404


@pytest.mark.parametrize("persona", ["member", "focal_point"])
def test_exports_hold_only_the_iro_user_s_own_rows(client, world, persona):
    signed_in(client, persona_user(persona, world["AU"]))

    table_csv = b"".join(client.get(reverse("igo:export_csv")).streaming_content).decode("utf-8-sig")
    interactions_csv = b"".join(client.get(reverse("igo:interactions_export_csv")).streaming_content).decode(
        "utf-8-sig"
    )
    workbook = load_workbook(io.BytesIO(client.get(reverse("igo:export_xlsx")).content))
    xlsx_text = " ".join(
        str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    )

    for text in (table_csv, interactions_csv, xlsx_text):
        assert CANARY not in text
        assert "OSCE" not in text.replace("AU; OSCE", "")  # the joint activity names its partner; no OSCE row
    rows = list(csv.reader(io.StringIO(table_csv)))
    assert [row[0] for row in rows[1:-1]] == ["AU"]
    assert {row[5] for row in csv.reader(io.StringIO(interactions_csv)) if row[0] != "ID"} == {
        world["au_meeting"].summary,
        world["au_briefing"].summary,
        world["joint"].summary,
    }


def test_a_signed_in_user_without_an_organization_sees_no_row(client, world):
    client.force_login(UserFactory(role=Role.MEMBER))

    response = client.get(reverse("igo:tables"))

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert CANARY not in response.content.decode()


# --- filters --------------------------------------------------------------------------------------------------


@pytest.fixture
def committee_client(client):
    client.force_login(UserFactory(role=Role.COMMITTEE))
    return client


def test_year_filter_counts_only_that_year(committee_client, world):
    response = committee_client.get(reverse("igo:tables"), {"year": "2011"})

    cells = table_cells(response)
    assert {kind: n for kind, n in cells["AU"].items() if n} == oracle(world["AU"], year=2011)
    assert {kind: n for kind, n in cells["OSCE"].items() if n} == oracle(world["OSCE"], year=2011)
    assert f'href="{reverse("igo:interactions")}?organization=AU&amp;year=2011&amp;kind=meeting"' in (
        response.content.decode()
    )


def test_kind_filter_keeps_one_column(committee_client, world):
    response = committee_client.get(reverse("igo:tables"), {"kind": "briefing"})

    assert response.context["table"].kinds == ["briefing"]
    assert table_cells(response) == {"AU": {"briefing": 1}, "ECOWAS": {"briefing": 0}, "OSCE": {"briefing": 1}}


def test_region_filter_keeps_organizations_serving_the_region_or_a_sub_region(committee_client, world):
    response = committee_client.get(reverse("igo:tables"), {"region": "002"})

    assert set(table_cells(response)) == {"AU", "ECOWAS"}


def test_only_active_hides_organizations_without_interactions(committee_client, world):
    OrganizationFactory(acronym="QUIET")

    everyone = committee_client.get(reverse("igo:tables"))
    active = committee_client.get(reverse("igo:tables"), {"active": "1"})

    assert "QUIET" in table_cells(everyone)
    assert "QUIET" not in table_cells(active)


def test_invalid_filter_values_are_ignored_not_errors(committee_client, world):
    response = committee_client.get(reverse("igo:tables"), {"year": "abc", "kind": "nope", "region": "999"})

    assert response.status_code == 200
    assert set(table_cells(response)) == {"AU", "ECOWAS", "OSCE"}


def test_the_interaction_list_behind_a_cell_matches_its_count(committee_client, world):
    response = committee_client.get(reverse("igo:interactions"), {"organization": "AU", "kind": "meeting"})

    assert [record.pk for record in response.context["interactions"]] == [world["au_meeting"].pk]


def test_the_chronological_table_merges_interactions_events_agreements_and_demarches(committee_client, world):
    event = EventFactory(title="Vienna outreach", start_date=date(2010, 12, 15))
    event.participants.add(world["AU"])
    agreement = AgreementFactory(title="AU–OSCE letters", signed_on=date(2009, 11, 1))
    agreement.parties.add(world["AU"])
    DemarcheFactory(organization=world["AU"], sent_on=date(2008, 1, 1), details="Please designate")

    response = committee_client.get(reverse("igo:organization", args=["AU"]))

    categories = [entry.category for entry in response.context["entries"]]
    assert categories == ["interaction", "interaction", "interaction", "event", "agreement", "demarche"]
    body = response.content.decode()
    assert "Vienna outreach" in body and "Please designate" in body


def test_an_iro_user_s_chronological_table_hides_demarches(client, world):
    DemarcheFactory(organization=world["AU"], details="Please designate")
    signed_in(client, persona_user("member", world["AU"]))

    response = client.get(reverse("igo:organization", args=["AU"]))

    assert "Please designate" not in response.content.decode()


# --- forms ----------------------------------------------------------------------------------------------------

FORMS = ["igo:interaction_create", "igo:event_create"]


@pytest.mark.parametrize("persona", ["member", "focal_point"])
@pytest.mark.parametrize("name", FORMS)
def test_iro_users_get_403_on_the_forms_and_write_nothing(client, world, persona, name):
    signed_in(client, persona_user(persona, world["AU"]))
    before = (Interaction.objects.count(), Event.objects.count(), Demarche.objects.count())

    assert client.get(reverse(name)).status_code == 403
    response = client.post(
        reverse(name),
        {
            "organizations": ["AU"],
            "organization": "AU",
            "kind": "meeting",
            "date": "2013-01-01",
            "summary": "x",
            "title": "x",
            "start_date": "2013-01-01",
            "request": "information",
            "channel": "letter",
            "sent_on": "2013-01-01",
            "date_precision": "day",
        },
    )

    assert response.status_code == 403
    assert (Interaction.objects.count(), Event.objects.count(), Demarche.objects.count()) == before


@pytest.mark.parametrize("name", FORMS)
def test_anonymous_visitors_are_sent_to_the_login_page_from_the_forms(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_committee_records_an_interaction(committee_client, world):
    assert committee_client.get(reverse("igo:interaction_create"), {"organization": "AU"}).status_code == 200

    response = committee_client.post(
        reverse("igo:interaction_create"),
        {
            "date": "2013-04-05",
            "date_precision": "day",
            "kind": "briefing",
            "organizations": ["AU", "OSCE"],
            "summary": "Joint briefing to Working Group I",
            "follow_up_due": "2013-05-01",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("igo:organization", args=["AU"])
    record = Interaction.objects.get(summary="Joint briefing to Working Group I")
    assert sorted(record.organizations.values_list("acronym", flat=True)) == ["AU", "OSCE"]
    assert record.recorded_by.role == Role.COMMITTEE
    assert record.public is False


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "", "kind": "briefing", "organizations": ["AU"], "summary": "x"}, "date"),
        ({"date": "2013-04-05", "kind": "nope", "organizations": ["AU"], "summary": "x"}, "kind"),
        ({"date": "2013-04-05", "kind": "briefing", "organizations": [], "summary": "x"}, "organizations"),
        ({"date": "2013-04-05", "kind": "briefing", "organizations": ["NOPE"], "summary": "x"}, "organizations"),
        ({"date": "2013-04-05", "kind": "briefing", "organizations": ["AU"], "summary": ""}, "summary"),
        (
            {
                "date": "2013-04-05",
                "kind": "briefing",
                "organizations": ["AU"],
                "summary": "x",
                "follow_up_due": "2013-01-01",
            },
            "follow_up_due",
        ),
    ],
)
def test_bad_interaction_input_gives_form_errors_and_writes_nothing(committee_client, world, data, field):
    before = Interaction.objects.count()

    response = committee_client.post(reverse("igo:interaction_create"), {"date_precision": "day", **data})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert str(FORM_ERRORS_SUMMARY) in response.content.decode()
    assert Interaction.objects.count() == before


def test_the_committee_edits_then_deletes_an_interaction(committee_client, world):
    record = world["au_meeting"]
    edit_url = reverse("igo:interaction_edit", args=[record.pk])
    assert committee_client.get(edit_url).status_code == 200

    committee_client.post(
        edit_url,
        {
            "date": "2011-03-01",
            "date_precision": "month",
            "kind": "meeting",
            "organizations": ["AU"],
            "summary": "Renamed",
            "public": "on",
        },
    )
    record.refresh_from_db()
    assert (record.summary, record.date_precision, record.public) == ("Renamed", "month", True)

    committee_client.post(reverse("igo:interaction_delete", args=[record.pk]))
    assert not Interaction.objects.filter(pk=record.pk).exists()


def test_iro_users_cannot_edit_interactions_and_hidden_ones_are_404(client, world):
    signed_in(client, persona_user("focal_point", world["AU"]))

    assert client.get(reverse("igo:interaction_edit", args=[world["au_meeting"].pk])).status_code == 403
    assert client.get(reverse("igo:interaction_edit", args=[world["osce_private"].pk])).status_code == 404
    assert client.post(reverse("igo:interaction_delete", args=[world["osce_private"].pk])).status_code == 404
    assert Interaction.objects.filter(pk=world["osce_private"].pk).exists()


def test_the_committee_records_an_event(committee_client, world):
    response = committee_client.post(
        reverse("igo:event_create"),
        {
            "title": "Vienna outreach",
            "start_date": "2010-12-15",
            "end_date": "2010-12-16",
            "region": "150",
            "participants": ["AU", "OSCE"],
            "attendance_count": "12",
            "country": "AT",
        },
    )

    event = Event.objects.get(title="Vienna outreach")
    assert response["Location"] == reverse("iros:event_detail", args=[event.pk])
    assert sorted(event.participants.values_list("acronym", flat=True)) == ["AU", "OSCE"]
    assert (event.region.code, event.country, event.attendance_count) == ("150", "AT", 12)


def test_bad_event_input_gives_form_errors_and_writes_nothing(committee_client, world):
    response = committee_client.post(
        reverse("igo:event_create"), {"title": "Backwards", "start_date": "2010-12-15", "end_date": "2010-12-01"}
    )

    assert "end_date" in response.context["form"].errors
    assert not Event.objects.filter(title="Backwards").exists()


def test_the_old_demarche_address_sends_to_the_one_demarche_form_with_its_organization(committee_client, world):
    response = committee_client.get(reverse("igo:demarche_moved"), {"organization": "AU"})

    assert response.status_code == 301
    assert response["Location"] == reverse("contacts:demarche_create") + "?organization=AU"
    assert not Demarche.objects.exists()


def test_the_igo_pages_link_to_the_one_demarche_form(committee_client, world):
    table = committee_client.get(reverse("igo:tables")).content.decode()
    organization = committee_client.get(reverse("igo:organization", args=["AU"])).content.decode()

    assert reverse("contacts:demarche_create") in table
    assert f"{reverse('contacts:demarche_create')}?organization=AU" in organization
    assert reverse("igo:demarche_moved") not in table + organization


# --- exports --------------------------------------------------------------------------------------------------


def test_exports_follow_the_filter_and_neutralise_formulas(committee_client, world):
    OrganizationFactory(acronym="EVIL", name='=HYPERLINK("http://evil.example")')
    formula = interaction([world["AU"]], kind=Interaction.Kind.MEETING, when=date(2011, 7, 7), summary="+SUM(A1:A9)")
    formula.outcome = "@cmd"
    formula.save()

    table_csv = b"".join(committee_client.get(reverse("igo:export_csv"), {"year": "2011"}).streaming_content).decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(table_csv)))
    by_acronym = {row[0]: row for row in rows[1:-1]}
    header = rows[0]
    assert by_acronym["EVIL"][1] == '\'=HYPERLINK("http://evil.example")'
    assert by_acronym["AU"][header.index(str(Interaction.Kind.MEETING.label))] == "2"
    assert rows[-1][0].startswith("Total")

    interactions_csv = b"".join(
        committee_client.get(reverse("igo:interactions_export_csv"), {"organization": "AU"}).streaming_content
    ).decode("utf-8-sig")
    assert "'+SUM(A1:A9)" in interactions_csv and "'@cmd" in interactions_csv

    workbook = load_workbook(io.BytesIO(committee_client.get(reverse("igo:export_xlsx"), {"year": "2011"}).content))
    table_sheet, details = workbook.worksheets
    names = [row[1] for row in table_sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example")' in names
    summaries = [row[5] for row in details.iter_rows(min_row=2, values_only=True)]
    assert "'+SUM(A1:A9)" in summaries
    assert all(row[1].year == 2011 for row in details.iter_rows(min_row=2, values_only=True))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_interaction_exports_read_kinds_precisions_and_flags_as_labels(client, world, language):
    expert = UserFactory(role=Role.COMMITTEE, language=language)
    signed_in(client, expert)
    world["osce_public"].date_precision = DatePrecision.MONTH
    world["osce_public"].save()

    text = b"".join(
        client.get(reverse("igo:interactions_export_csv"), {"organization": "OSCE"}).streaming_content
    ).decode("utf-8-sig")
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("igo:interactions_export_xlsx"), {"organization": "OSCE"}).content)
    )

    with translation.override(language):
        rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
        public = rows[str(world["osce_public"].pk)]
        assert public[2:4] == [str(DatePrecision.MONTH.label), str(Interaction.Kind.MEETING.label)]
        assert public[10] == translation.gettext("Yes")  # the Public column
        assert rows[str(world["joint"].pk)][4] == "AU; OSCE"  # the list separator the import reads back
        assert rows[str(world["osce_private"].pk)][10] == translation.gettext("No")
    sheet = workbook.active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:N")
    assert sheet["B2"].is_date and sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["F"].width == 60  # the summary


def test_the_igo_table_workbook_has_dates_as_dates_and_a_footer_outside_the_filter(committee_client, world):
    workbook = load_workbook(io.BytesIO(committee_client.get(reverse("igo:export_xlsx")).content))

    table, details = workbook.worksheets
    header = [cell.value for cell in table[1]]
    assert header[-1] == "Last" and header[2] == str(Interaction.Kind.BRIEFING.label)
    last = table.cell(row=2, column=len(header))
    assert last.is_date and last.number_format == "yyyy-mm-dd"
    assert table.freeze_panes == "A2"
    assert table.auto_filter.ref.endswith(str(table.max_row - 1))  # the totals row is outside the filter
    assert details.freeze_panes == "A2"


# --- query counts ---------------------------------------------------------------------------------------------


def _populate(size: int):
    organizations = [OrganizationFactory(acronym=f"Q{n}") for n in range(size)]
    for n, organization in enumerate(organizations):
        interaction([organization], kind=Interaction.Kind.values[n % 8], when=date(2011, 1 + n % 12, 1))
    return organizations


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


# Every page: session and user (the navigation reuses the viewer the policy cached). Then its own reads,
# whatever the number of rows: the table (one grouped query for every row and kind, one for the footer); the list
# (its count, the page, the organizations of the page) — the organization and region options are kept once built
# (portal.kernel.reference_choices);
# an IRO user adds the policy's membership lookup; pages (not exports) add the navbar's unread notifications count;
# the interaction list adds its saved filters (portal.preferences).
BASELINES = {
    ("committee", "igo:tables"): 5,
    ("committee", "igo:interactions"): 7,
    ("committee", "igo:export_csv"): 4,
    ("committee", "igo:export_xlsx"): 6,
    ("member", "igo:tables"): 6,  # no region filter: its table has one row
    ("member", "igo:interactions"): 8,
}


@pytest.mark.parametrize(("persona", "name"), list(BASELINES))
def test_query_counts_do_not_grow_with_the_rows(client, persona, name):
    first = _populate(1)[0]
    user = persona_user(persona, first)
    signed_in(client, user)
    url = reverse(name)
    client.get(url)  # warm the policy's group and permission caches

    with_one = _queries(client, url, {"year": "2011"})
    _populate_more = [
        interaction([organization, first], kind=Interaction.Kind.MEETING) for organization in _populate(30)
    ]
    client.force_login(user)
    client.get(url)  # new organizations: the select options are built again (then kept)
    with_thirty = _queries(client, url, {"year": "2011"})

    assert with_one == with_thirty == BASELINES[(persona, name)]


# --- the event's attendance agrees with its participants (problem 15) ----------------------------------------------


def test_an_attendance_below_the_organizations_named_is_a_form_error_with_the_others(committee_client, world):
    response = committee_client.post(
        reverse("igo:event_create"),
        {"title": "", "start_date": "2010-12-15", "participants": ["AU", "ECOWAS", "OSCE"], "attendance_count": "2"},
    )

    errors = response.context["form"].errors
    assert "title" in errors  # shown together, not one after the other
    assert errors["attendance_count"] == [
        "Fewer than the 3 organizations named as participating: count every organization that attended, "
        "named or not, or leave this empty."
    ]
    assert not Event.objects.exists()


@pytest.mark.parametrize(("attendance", "expected"), [("3", 3), ("12", 12), ("", None)])
def test_an_attendance_counting_at_least_the_organizations_named_is_recorded(
    committee_client, world, attendance, expected
):
    committee_client.post(
        reverse("igo:event_create"),
        {
            "title": "Counted",
            "start_date": "2010-12-15",
            "participants": ["AU", "ECOWAS", "OSCE"],
            "attendance_count": attendance,
        },
    )

    assert Event.objects.get(title="Counted").attendance_count == expected
