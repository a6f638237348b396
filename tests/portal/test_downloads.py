"""The one download response and the one export writer, and every download route answering through them."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.urls import get_resolver, reverse
from django.utils import translation
from openpyxl import load_workbook

from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from iros.models import Interaction
from portal.kernel.downloads import attachment_response, content_disposition, stored_file_response
from portal.kernel.tabular import Sheet, cell_text, column_widths, csv_lines, neutralise, xlsx_bytes, yes_no
from tests.factories import (
    DocumentFactory,
    InteractionFactory,
    OrganizationFactory,
    ProgramFactory,
    api_client_for,
    persona_user,
)
from tests.test_url_coverage import _route_names

DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- attachment_response ----------------------------------------------------------------------------------


def test_whole_content_is_an_attachment_with_the_download_headers():
    response = attachment_response(b"a,b\r\n", filename="table.csv", content_type="text/csv")

    assert type(response) is HttpResponse
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="table.csv"'
    assert {header: response[header] for header in DOWNLOAD_HEADERS} == DOWNLOAD_HEADERS
    assert response.content == b"a,b\r\n"


def test_an_iterator_of_text_is_streamed_as_it_is_read():
    produced = []

    def lines():
        for number in range(3):
            produced.append(number)
            yield f"line {number}\n"

    response = attachment_response(lines(), filename="lines.csv", content_type="text/csv; charset=utf-8")

    assert isinstance(response, StreamingHttpResponse)
    assert produced == []
    assert next(iter(response.streaming_content)) == b"line 0\n"
    assert produced == [0]
    assert {header: response[header] for header in DOWNLOAD_HEADERS} == DOWNLOAD_HEADERS


def test_an_open_file_is_streamed_with_its_length(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.4 plan")

    with path.open("rb") as handle:
        response = attachment_response(handle, filename="plan.pdf", content_type="application/pdf")

        assert isinstance(response, FileResponse)
        assert response["Content-Length"] == "13"
        assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
        assert {header: response[header] for header in DOWNLOAD_HEADERS} == DOWNLOAD_HEADERS
        assert body(response) == b"%PDF-1.4 plan"


@pytest.mark.django_db
def test_a_stored_file_the_storage_lost_answers_404():
    document = DocumentFactory()
    document.file.storage.delete(document.file.name)

    with pytest.raises(Http404):
        stored_file_response(document.file, filename=document.filename, content_type=document.content_type)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("plan.pdf", 'attachment; filename="plan.pdf"'),
        ("Résumé 2011.pdf", "attachment; filename=\"Resume 2011.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%202011.pdf"),
        ("计划.xlsx", "attachment; filename=\"download.xlsx\"; filename*=UTF-8''%E8%AE%A1%E5%88%92.xlsx"),
        ('say "hi"\\..\\x.csv', 'attachment; filename="say _hi__.._x.csv"'),
        ("a\r\nSet-Cookie: b.pdf", 'attachment; filename="aSet-Cookie: b.pdf"'),
        # A right-to-left override would show "exe.pdf" for a program: it is dropped.
        ("\u202efdp.exe", 'attachment; filename="fdp.exe"'),
        ("100%.csv", "attachment; filename=\"100_.csv\"; filename*=UTF-8''100%25.csv"),
        ("", 'attachment; filename="download"'),
    ],
)
def test_the_filename_follows_rfc_6266(filename, expected):
    assert content_disposition(filename) == expected


# --- the export writer ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(1)", "\tx", "\rx"])
def test_neutralise_prefixes_a_quote(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Plain", "", 12, None, "a=b"])
def test_neutralise_leaves_other_values(value):
    assert neutralise(value) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "yes"),
        (False, "no"),
        (date(2011, 12, 15), "2011-12-15"),
        (datetime(2011, 12, 15, 9, 30), "2011-12-15T09:30:00"),
        (Decimal("1E+3"), "1000"),
        (Decimal("12.50"), "12.50"),
        (-3, "-3"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def sheet(**overrides) -> Sheet:
    fields = {
        "title": "Programs",
        "header": ["Title", "=Header", "Budget", "Start"],
        "rows": iter([["=cmd()", "Ports", Decimal("12.50"), date(2011, 1, 2)], ["Plain", None, None, None]]),
        "footer": ["Total", "", Decimal("12.50"), None],
        **overrides,
    }
    return Sheet(**fields)


def test_csv_streams_header_rows_and_footer_with_formulas_neutralised():
    lines = csv_lines(sheet())

    assert next(lines) == "\ufeff"
    text = "".join(lines)
    assert list(csv.reader(io.StringIO(text))) == [
        ["Title", "'=Header", "Budget", "Start"],
        ["'=cmd()", "Ports", "12.50", "2011-01-02"],
        ["Plain", "", "", ""],
        ["Total", "", "12.50", ""],
    ]


def test_xlsx_has_a_worksheet_per_sheet_typed_values_and_no_formula():
    details = Sheet(title="Interactions with a very long title", header=["Summary"], rows=[["@SUM(A1)"], ["a\x0bb"]])

    workbook = load_workbook(io.BytesIO(xlsx_bytes(sheet(), details)))

    first, second = workbook.worksheets
    assert [first.title, second.title] == ["Programs", "Interactions with a very long t"]
    assert list(first.iter_rows(values_only=True)) == [
        ("Title", "'=Header", "Budget", "Start"),
        ("'=cmd()", "Ports", 12.5, datetime(2011, 1, 2)),
        ("Plain", None, None, None),
        ("Total", None, 12.5, None),
    ]
    assert list(second.iter_rows(values_only=True)) == [("Summary",), ("'@SUM(A1)",), ("ab",)]
    assert all(cell.data_type != "f" for worksheet in workbook for row in worksheet.iter_rows() for cell in row)


def test_xlsx_freezes_the_header_filters_header_and_rows_but_not_the_footer_and_formats_dates():
    workbook = load_workbook(io.BytesIO(xlsx_bytes(sheet())))

    worksheet = workbook.active
    assert worksheet.freeze_panes == "A2"
    assert worksheet.auto_filter.ref == "A1:D3"  # header and two rows; the totals stay put when sorting
    assert [cell.font.bold for cell in worksheet[1]] == [True] * 4
    start = worksheet["D2"]
    assert start.is_date and start.number_format == "yyyy-mm-dd"


def test_xlsx_writes_datetimes_with_their_time():
    workbook = load_workbook(
        io.BytesIO(xlsx_bytes(Sheet(title="Log", header=["At"], rows=[[datetime(2011, 12, 15, 9, 30)]])))
    )

    assert workbook.active["A2"].number_format == "yyyy-mm-dd hh:mm"


def test_column_widths_are_declared_or_estimated_within_bounds():
    wide = Sheet(
        title="T",
        header=["ID", "Title", "Summary", "Start"],
        rows=[],
        widths=[None, 45, None, None],
    )
    sample = [[1, "Short", "x" * 500, date(2011, 1, 2)], [22, "Longer title", "two\nlines", None]]

    assert column_widths(wide, sample) == [6.0, 45.0, 60.0, 12.0]


def test_xlsx_columns_take_the_widths():
    content = xlsx_bytes(sheet(widths=[40, None, None, None]))

    worksheet = load_workbook(io.BytesIO(content)).active
    assert worksheet.column_dimensions["A"].width == 40
    assert worksheet.column_dimensions["B"].width == len("=Header") + 2


def test_yes_no_speaks_the_active_language():
    assert (yes_no(True), yes_no(False), yes_no(None)) == ("Yes", "No", "")
    with translation.override("fr"):
        assert yes_no(True) == translation.gettext("Yes") != "Yes"


def test_a_streamed_csv_keeps_the_language_of_the_request_that_made_it():
    rows = ([translation.gettext("Yes")] for _ in range(1))
    with translation.override("fr"):
        lines = csv_lines(Sheet(title="T", header=["H"], rows=rows))
    # the response streams after the view returned, in whatever language the thread has then
    with translation.override("en"):
        text = "".join(lines)

    with translation.override("fr"):
        assert translation.gettext("Yes") in text


# --- every download route ---------------------------------------------------------------------------------


DOWNLOAD_ROUTES = [
    "programs:export_csv",
    "programs:export_xlsx",
    "igo:export_csv",
    "igo:export_xlsx",
    "igo:interactions_export_csv",
    "igo:interactions_export_xlsx",
    "programs:document_download",
    "api:documents-download",
    "security:log_export_csv",
    "security:log_export_xlsx",
]
DOCUMENT_ROUTES = {"programs:document_download", "api:documents-download"}
ADMINISTRATORS_ONLY = {"security:log_export_csv", "security:log_export_xlsx"}


@pytest.fixture
def document(db):
    organization = OrganizationFactory(acronym="OWNER")
    program = ProgramFactory(organization=organization, state=State.SUBMITTED, audience=Audience.PUBLIC)
    grants_write(program)
    InteractionFactory(kind=Interaction.Kind.MEETING, date=date(2011, 5, 4)).organizations.set([organization])
    return DocumentFactory(program=program, filename="Résumé.pdf")


def test_the_routes_below_are_every_download_route():
    routes = {name for name in _route_names(get_resolver()) if "export" in name or "download" in name}
    assert routes == set(DOWNLOAD_ROUTES)


@pytest.mark.parametrize("route", DOWNLOAD_ROUTES)
def test_every_download_route_answers_an_attachment_with_the_download_headers(client, document, route):
    reader = persona_user("admin" if route in ADMINISTRATORS_ONLY else "committee")
    if route.startswith("api:"):
        client = api_client_for(reader)
    else:
        client.force_login(reader)

    response = client.get(reverse(route, args=[document.pk] if route in DOCUMENT_ROUTES else None))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert {header: response[header] for header in DOWNLOAD_HEADERS} == DOWNLOAD_HEADERS
    assert body(response)
    if route in DOCUMENT_ROUTES:
        assert response["Content-Disposition"].endswith("filename*=UTF-8''R%C3%A9sum%C3%A9.pdf")
