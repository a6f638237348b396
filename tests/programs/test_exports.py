"""CSV and XLSX exports: the current filter, visible rows only, formulas neutralised, sharing details guarded."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from confidentiality.models import Audience, State

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
