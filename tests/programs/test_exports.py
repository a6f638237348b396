"""CSV and XLSX exports: the current filter, visible rows only, formulas neutralised, sharing details guarded."""

import csv
import io
from datetime import date, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django_countries import countries
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from confidentiality.models import Audience, State
from programs import exports
from programs.models import Program, ProgramPartner
from tests.factories import ThematicAreaFactory, m49_regions

pytestmark = pytest.mark.django_db

CANARY = "CANARY-e1b2c3"


def csv_rows(response) -> list[dict]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response) -> list[dict]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def programs(make_program, orgs):  # noqa: F811
    return {
        "public": make_program(audience=Audience.PUBLIC, title="Open program"),
        "selected": make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]], title="Shared program"),
        "hidden": make_program(audience=Audience.COMMITTEE, title=f"{CANARY} committee only"),
        "draft": make_program(state=State.DRAFT, audience=Audience.PUBLIC, title=f"{CANARY} draft"),
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_holds_only_the_rows_the_viewer_may_see(client, people, programs, kind):  # noqa: F811
    client.force_login(people["selected_member"])

    response = client.get(reverse(f"programs:export_{kind}"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = csv_rows(response) if kind == "csv" else xlsx_rows(response)
    assert sorted(row["Title"] for row in rows) == ["Open program", "Shared program"]
    assert CANARY not in repr(rows)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_follows_the_current_filter(client, people, programs, kind):  # noqa: F811
    client.force_login(people["admin"])

    response = client.get(reverse(f"programs:export_{kind}"), {"state": "draft"})

    rows = csv_rows(response) if kind == "csv" else xlsx_rows(response)
    assert [row["Title"] for row in rows] == [f"{CANARY} draft"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_formula_like_cells_are_neutralised(client, people, make_program, kind):  # noqa: F811
    make_program(audience=Audience.PUBLIC, title="=cmd()", summary="+SUM(A1)", website="")
    client.force_login(people["committee"])

    response = client.get(reverse(f"programs:export_{kind}"))

    rows = csv_rows(response) if kind == "csv" else xlsx_rows(response)
    assert rows[0]["Title"] == "'=cmd()"
    assert rows[0]["Summary"] == "'+SUM(A1)"
    if kind == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner_member", "CHOSEN"), ("committee", "CHOSEN"), ("admin", "CHOSEN"), ("selected_member", "")],
)
def test_shared_with_is_filled_only_for_who_may_see_sharing_details(client, people, programs, persona, expected):  # noqa: F811
    client.force_login(people[persona])

    rows = csv_rows(client.get(reverse("programs:export_csv")))

    assert {row["Title"]: row["Shared with"] for row in rows}["Shared program"] == expected


def test_signed_out_visitors_cannot_export(client, programs):
    for name in ("programs:export_csv", "programs:export_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_csv_export_streams_many_rows_in_few_queries(client, people, make_program, django_assert_max_num_queries):  # noqa: F811
    for number in range(120):
        make_program(audience=Audience.PUBLIC, title=f"Program {number:03d}")
    client.force_login(people["other_member"])

    with django_assert_max_num_queries(20):
        rows = csv_rows(client.get(reverse("programs:export_csv")))

    assert len(rows) == 120


# --- labels for people, codes for re-import, the table's columns, XLSX formats ---------------------------------


@pytest.fixture
def labelled(make_program, orgs):
    regions = m49_regions()
    program = make_program(
        audience=Audience.SELECTED,
        shared_with=[orgs["selected"]],
        title="Border controls",
        status=Program.Status.ONGOING,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
        budget=Decimal("1000.50"),
        currency="EUR",
        assistance_on_request=True,
        beneficiary_countries=["KZ", "DE"],
        funding_states=["NO"],
    )
    program.thematic_areas.set([ThematicAreaFactory(code="op3c", name="OP3(c) border controls")])
    program.regions.set([regions["143"], regions["035"]])
    ProgramPartner.objects.create(program=program, organization=orgs["other"], role=ProgramPartner.Role.LEAD)
    return program


def only_row(response) -> dict:
    rows = csv_rows(response) if response.streaming else xlsx_rows(response)
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_export_reads_codes_as_labels_in_the_viewer_s_language(client, people, labelled, language):
    people["committee"].language = language
    people["committee"].save(update_fields=["language"])
    client.force_login(people["committee"])

    with translation.override(language):
        row = only_row(client.get(reverse("programs:export_csv")))
        headers = dict(exports.columns())
        assert row[headers["status"]] == str(Program.Status.ONGOING.label)
        assert row[headers["state"]] == str(State.SUBMITTED.label)
        assert row[headers["audience"]] == str(Audience.SELECTED.label)
        assert row[headers["thematic_areas"]] == "OP3(c) border controls"
        # M49 names in the reader's language (the rows' `names`).
        expected = {"en": "South-eastern Asia; Central Asia", "fr": "Asie du Sud-Est; Asie centrale"}[language]
        assert row[headers["regions"]] == expected
        assert row[headers["beneficiary_countries"]] == f"{countries.name('KZ')}; {countries.name('DE')}"
        assert row[headers["funding_states"]] == str(countries.name("NO"))
        assert row[headers["partners"]] == f"OTHER ({ProgramPartner.Role.LEAD.label})"
        assert row[headers["assistance_on_request"]] == translation.gettext("Yes")
    if language == "fr":
        assert row["Statut"] != "ongoing" and row[headers["beneficiary_countries"]].startswith("Kazakhstan")


def test_an_export_for_re_import_keeps_every_column_in_codes(client, people, labelled):
    client.force_login(people["committee"])

    row = only_row(client.get(reverse("programs:export_csv"), {"for_import": "1", "columns": "title"}))

    assert list(row) == [header for _key, header in exports.columns()]
    assert (row["Status"], row["State"], row["Audience"]) == ("ongoing", "submitted", "selected")
    assert (row["Thematic areas"], row["Regions"]) == ("op3c", "035; 143")
    assert (row["Beneficiary countries"], row["Partners"]) == ("KZ; DE", "OTHER:lead")
    assert row["Assistance on request"] == "yes"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_has_the_columns_of_the_table_the_viewer_chose(client, people, labelled, kind):
    client.force_login(people["committee"])

    response = client.get(reverse(f"programs:export_{kind}"), {"columns": "status,title,period,sharing,nonsense"})

    row = only_row(response)
    assert list(row) == ["ID", "Title", "Status", "State", "Audience", "Shared with", "Start date", "End date"]
    assert row["Title"] == "Border controls"


def test_the_program_list_links_its_exports_with_its_columns_and_filter(client, people, labelled):
    client.force_login(people["committee"])

    page = client.get(reverse("programs:list"), {"columns": ["title", "budget"], "status": "ongoing", "page": "1"})

    html = page.content.decode()
    assert f"{reverse('programs:export_xlsx')}?status=ongoing&amp;columns=title%2Cbudget" in html
    assert f"{reverse('programs:export_csv')}?status=ongoing&amp;for_import=1" in html


def test_the_xlsx_export_has_dates_as_dates_widths_a_frozen_header_and_a_filter(client, people, labelled):
    client.force_login(people["committee"])

    response = client.get(reverse("programs:export_xlsx"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    data = dict(zip(header, sheet[2], strict=True))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}2"
    assert all(cell.font.bold for cell in sheet[1])
    for heading in ("Start date", "End date", "Created", "Updated"):
        assert data[heading].is_date and data[heading].number_format == "yyyy-mm-dd", heading
        assert data[heading].value.time() == time(0), heading
    assert data["Start date"].value.date() == date(2024, 1, 1)
    assert data["Budget"].value == 1000.5
    widths = [sheet.column_dimensions[get_column_letter(index)].width for index in range(1, len(header) + 1)]
    assert all(6 <= width <= 60 for width in widths)
    assert (
        sheet.column_dimensions["A"].width < sheet.column_dimensions[get_column_letter(header.index("Title") + 1)].width
    )
