"""Importing programs from CSV and XLSX: the API contract, the dry run, all or nothing, the services' rules and
grants, the template, malformed files and the upload → preview → import page."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from confidentiality import index
from confidentiality.models import Audience, SharingAudit, State
from confidentiality.services import grants_mismatches
from iros.models import END_BEFORE_START
from portal.notifications.models import Notification
from programs import exports, services
from programs.models import Program, ProgramPartner
from tests.factories import OrganizationFactory, ThematicAreaFactory, api_client_for, m49_regions

pytestmark = pytest.mark.django_db

IMPORT_URL = "/api/v1/imports/programs/"
HEADER = [header for _key, header in exports.columns()]
CONTRACT_KEYS = {"dry_run", "created", "updated", "unchanged", "errors"}


def csv_file(rows: list[dict], *, header: list[str] | None = None, name: str = "programs.csv") -> SimpleUploadedFile:
    """A CSV upload: `rows` as dicts keyed by header (missing cells blank)."""
    header = header or list(dict.fromkeys(key for row in rows for key in row)) or ["Title"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(lines: list[list], *, title: str = "Programs", name: str = "programs.xlsx", extra_sheets=()):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for line in lines:
        sheet.append(line)
    for extra in extra_sheets:
        workbook.create_sheet(extra)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def post_import(client, file, *, dry_run: bool, **data):
    data |= {"file": file, "dry_run": "true" if dry_run else "false"}
    return client.post(IMPORT_URL, data, format="multipart")


@pytest.fixture
def focal(people):
    return api_client_for(people["owner_focal"])


@pytest.fixture
def codes(db):
    regions = m49_regions()
    return {
        "nuclear": ThematicAreaFactory(code="nuclear", name="Nuclear weapons"),
        "op3c": ThematicAreaFactory(code="op3c", name="OP3(c) border controls"),
        "asia": regions["142"],
    }


def counts(response) -> tuple:
    body = response.json()
    return body["created"], body["updated"], body["unchanged"]


# --- the contract -----------------------------------------------------------------------------------------------


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(focal, orgs):
    file = csv_file([{"Title": "Border controls"}, {"Title": "Export licensing", "Status": "ongoing"}])

    response = post_import(focal, file, dry_run=True)

    assert response.status_code == 200
    assert response.json() == {"dry_run": True, "created": 2, "updated": 0, "unchanged": 0, "errors": []}
    assert not Program.objects.exists()
    assert not SharingAudit.objects.exists()
    assert not Notification.objects.exists()


def test_an_import_writes_every_row_through_the_services(focal, orgs, codes):
    file = csv_file(
        [
            {
                "Title": "Border controls",
                "Status": "Ongoing",
                "State": "submitted",
                "Audience": "selected",
                "Shared with": "CHOSEN",
                "Thematic areas": "Nuclear weapons; op3c",
                "Regions": "Asia",
                "Beneficiary countries": "Pakistan; AF",
                "Funding states": "NO",
                "Partners": "CHOSEN:partner; Other Organization (funder)",
                "Tags": "customs; risk profiling",
                "Start date": "2024-05",
                "End date": "2025",
                "Budget": "1,250,000.50",
                "Currency": "usd",
                "Assistance on request": "yes",
                "Key": "BC-1",
            }
        ]
    )

    response = post_import(focal, file, dry_run=False)

    assert response.status_code == 200, response.json()["errors"]
    assert response.json() == {"dry_run": False, "created": 1, "updated": 0, "unchanged": 0, "errors": []}
    program = Program.objects.get()
    assert (program.organization, program.external_key, program.status) == (orgs["owner"], "BC-1", "ongoing")
    assert (program.state, program.audience) == (State.SUBMITTED, Audience.SELECTED)
    assert list(program.shared_with.all()) == [orgs["selected"]]
    assert {area.code for area in program.thematic_areas.all()} == {"nuclear", "op3c"}
    assert [region.code for region in program.regions.all()] == ["142"]
    assert program.beneficiary_countries == ["PK", "AF"] and program.funding_states == ["NO"]
    assert {(p.organization.acronym, p.role) for p in program.partnerships.all()} == {
        ("CHOSEN", ProgramPartner.Role.PARTNER),
        ("OTHER", ProgramPartner.Role.FUNDER),
    }
    assert sorted(tag.name for tag in program.tags.all()) == ["customs", "risk profiling"]
    assert (program.start_date, program.end_date) == (date(2024, 5, 1), date(2025, 12, 31))
    assert (program.budget, program.currency, program.assistance_on_request) == (Decimal("1250000.50"), "USD", True)
    # The sharing service ran: audit, grants and the outbox.
    assert SharingAudit.objects.filter(record_id=program.pk, action=SharingAudit.Action.SUBMIT).exists()
    assert grants_mismatches(Program) == []
    assert Notification.objects.exists()


def test_the_api_answers_401_signed_out_and_403_to_who_may_not_create_programs(people):
    file = csv_file([{"Title": "X"}])
    assert post_import(api_client_for(None), file, dry_run=True).status_code == 401
    for persona in ("owner_member", "committee"):
        file.seek(0)
        assert post_import(api_client_for(people[persona]), file, dry_run=True).status_code == 403
    assert not Program.objects.exists()


def test_a_request_without_a_file_is_400(focal):
    response = focal.post(IMPORT_URL, {"dry_run": "true"}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()


def test_problems_answer_200_on_a_dry_run_and_400_on_an_import_with_the_same_shape(focal, orgs):
    rows = [{"Title": "Fine"}, {"Title": "Backwards", "Start date": "2024-05-01", "End date": "2024-04-30"}]

    dry = post_import(focal, csv_file(rows), dry_run=True)
    real = post_import(focal, csv_file(rows), dry_run=False)

    assert dry.status_code == 200 and real.status_code == 400
    expected_error = {"row": 3, "column": "End date", "message": str(END_BEFORE_START)}
    assert dry.json() == {"dry_run": True, "created": 1, "updated": 0, "unchanged": 0, "errors": [expected_error]}
    assert real.json() == {"dry_run": False, "created": 0, "updated": 0, "unchanged": 0, "errors": [expected_error]}
    assert not Program.objects.exists()


def test_an_error_in_row_n_of_500_writes_nothing_and_reports_row_n(focal, orgs):
    rows = [{"Title": f"Program {number}", "Key": f"K{number}"} for number in range(500)]
    rows[313] |= {"Start date": "2024-05-01", "End date": "2023"}

    response = post_import(focal, csv_file(rows), dry_run=False)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"row": 315, "column": "End date", "message": str(END_BEFORE_START)}]
    assert not Program.objects.exists()
    assert not SharingAudit.objects.exists()


# --- round trip and idempotence ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extension", "form", "language"),
    [
        ("csv", {}, "en"),  # labels for people
        ("xlsx", {}, "en"),
        ("xlsx", {}, "fr"),  # labels in the viewer's language read back in that language
        ("csv", {"for_import": "1"}, "en"),  # codes
        ("xlsx", {"for_import": "1"}, "en"),
        ("csv", {"columns": "title,sharing,period"}, "en"),  # the table's columns only: the others stay as they are
    ],
)
def test_an_exported_list_imports_back_with_no_change(
    client, focal, people, orgs, codes, make_program, extension, form, language
):
    # given programs of every shape, and one of another organization outside the filter
    rich = make_program(
        audience=Audience.SELECTED,
        shared_with=[orgs["selected"], orgs["other"]],
        title="=Formula-like title",
        summary="Two lines\nof summary",
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
        budget=Decimal("1000.50"),
        currency="EUR",
        assistance_on_request=True,
        beneficiary_countries=["PK", "AF"],
        funding_states=["NO"],
        website="https://example.org/bc",
        external_key="BC-7",
    )
    rich.thematic_areas.set([codes["nuclear"], codes["op3c"]])
    rich.regions.set([codes["asia"]])
    ProgramPartner.objects.create(program=rich, organization=orgs["other"], role=ProgramPartner.Role.LEAD)
    services.program_update(actor=people["owner_focal"], program=rich, tags=["customs", "risk"])
    make_program(state=State.DRAFT, title="A draft")
    make_program(audience=Audience.PUBLIC, title="Public", status=Program.Status.COMPLETED)
    make_program(audience=Audience.ALL_IROS, title="All IROs")
    make_program(owner=orgs["other"], audience=Audience.PUBLIC, title="Someone else's")
    before = dict(Program.objects.values_list("pk", "updated"))
    audits = SharingAudit.objects.count()
    people["owner_focal"].language = language
    people["owner_focal"].save(update_fields=["language"])
    client.force_login(people["owner_focal"])
    exported = client.get(reverse(f"programs:export_{extension}"), {"organization": "OWNER", **form})
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content

    # when (the import reads the headers and labels in the language it is sent in)
    file = SimpleUploadedFile(f"export.{extension}", content)
    response = focal.post(
        IMPORT_URL, {"file": file, "dry_run": "false"}, format="multipart", HTTP_ACCEPT_LANGUAGE=language
    )

    # then
    assert response.status_code == 200, response.json()["errors"]
    assert counts(response) == (0, 0, 4)
    assert dict(Program.objects.values_list("pk", "updated")) == before
    assert SharingAudit.objects.count() == audits


def test_importing_the_same_file_twice_changes_nothing_the_second_time(focal, orgs):
    rows = [{"Key": "A", "Title": "First", "End date": "2025-06"}, {"Key": "B", "Title": "Second", "Tags": "x; y"}]

    assert counts(post_import(focal, csv_file(rows), dry_run=False)) == (2, 0, 0)
    again = post_import(focal, csv_file(rows), dry_run=False)

    assert counts(again) == (0, 0, 2)
    assert Program.objects.count() == 2


def test_a_row_with_an_id_or_a_key_updates_that_program(focal, orgs, make_program):
    by_id = make_program(title="Old title")
    by_key = make_program(title="Keyed", external_key="K-1")
    rows = [
        {"ID": str(by_id.pk), "Key": "", "Title": "New title"},
        {"ID": "", "Key": "K-1", "Title": "Keyed", "Status": "completed"},
    ]

    response = post_import(focal, csv_file(rows), dry_run=False)

    assert counts(response) == (0, 2, 0)
    by_id.refresh_from_db()
    by_key.refresh_from_db()
    assert by_id.title == "New title" and by_key.status == Program.Status.COMPLETED


def test_a_key_used_twice_in_one_file_is_a_problem(focal, orgs):
    rows = [{"Key": "A", "Title": "First"}, {"Key": "A", "Title": "Again"}]

    response = post_import(focal, csv_file(rows), dry_run=True)

    assert response.json()["errors"] == [{"row": 3, "column": "Key", "message": "The same record is already in row 2."}]


# --- the services' rules: who may write what, and the same grants as the form ----------------------------------


def test_a_focal_point_cannot_import_for_another_organization(focal, orgs):
    response = post_import(focal, csv_file([{"Organization": "OTHER", "Title": "Not mine"}]), dry_run=False)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (2, "Organization")
    assert not Program.objects.exists()


def test_a_focal_point_cannot_update_another_organizations_program_by_id_or_key(focal, orgs, make_program):
    visible = make_program(owner=orgs["other"], audience=Audience.PUBLIC, title="Theirs", external_key="T-1")
    hidden = make_program(owner=orgs["other"], audience=Audience.COMMITTEE, title="Hidden")
    rows = [
        {"ID": str(visible.pk), "Title": "Taken over"},
        {"ID": str(hidden.pk), "Title": "Taken over"},
        {"ID": "999999", "Title": "Missing"},
        {"Organization": "OTHER", "Key": "T-1", "Title": "Taken over"},
    ]

    response = post_import(focal, csv_file(rows), dry_run=False)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0] == {"row": 2, "column": "ID", "message": "You may not change this program."}
    # A hidden program reads exactly like a missing one.
    assert errors[1]["message"] == f"Unknown program ID {hidden.pk}."
    assert errors[2]["message"] == "Unknown program ID 999999."
    assert errors[3]["row"] == 5
    assert set(Program.objects.values_list("title", flat=True)) == {"Theirs", "Hidden"}


def test_an_administrator_imports_for_any_organization(people, orgs):
    admin = api_client_for(people["admin"])
    rows = [{"Organization": "OTHER", "Title": "Theirs"}, {"Title": "Default organization"}]

    response = post_import(admin, csv_file(rows), dry_run=False, organization="CHOSEN")

    assert counts(response) == (2, 0, 0)
    assert dict(Program.objects.values_list("title", "organization__acronym")) == {
        "Theirs": "OTHER",
        "Default organization": "CHOSEN",
    }


def test_an_administrator_row_without_an_organization_is_a_problem(people, orgs):
    response = post_import(api_client_for(people["admin"]), csv_file([{"Title": "Whose?"}]), dry_run=True)

    assert response.json()["errors"] == [
        {"row": 2, "column": "Organization", "message": "Give the organization's acronym."}
    ]


def test_every_audience_set_by_import_gives_the_grants_of_the_form(focal, people, orgs):
    settings_by_title = {
        "draft": {"State": "draft"},
        "committee": {"State": "submitted", "Audience": "committee"},
        "selected": {"State": "submitted", "Audience": "selected", "Shared with": "CHOSEN; OTHER"},
        "all": {"State": "submitted", "Audience": "The Committee and all IROs"},
        "public": {"State": "submitted", "Audience": "public"},
    }
    rows = [{"Title": title, **cells} for title, cells in settings_by_title.items()]

    assert post_import(focal, csv_file(rows), dry_run=False).status_code == 200

    assert grants_mismatches(Program) == []
    for title in settings_by_title:
        imported = Program.objects.get(title=title)
        typed = services.program_create(
            actor=people["owner_focal"],
            organization=orgs["owner"],
            title=f"typed {title}",
            state=imported.state,
            audience=imported.audience,
            shared_with=list(imported.shared_with.all()),
        )
        assert index.view_group_ids(imported) == index.view_group_ids(typed), title


def test_a_sharing_rule_of_the_service_is_a_row_problem(focal, orgs):
    rows = [{"Title": "Selected without anyone", "State": "submitted", "Audience": "selected"}]

    response = post_import(focal, csv_file(rows), dry_run=True)

    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (2, "Shared with")


def test_unreadable_cells_are_reported_by_row_and_column(focal, orgs, codes):
    rows = [
        {
            "Title": "Bad cells",
            "Status": "finished",
            "Start date": "05/01/2024",
            "Thematic areas": "nuclear; lasers",
            "Beneficiary countries": "Atlantis",
            "Budget": "a lot",
            "Partners": "WCO",
            "Assistance on request": "perhaps",
        }
    ]

    response = post_import(focal, csv_file(rows), dry_run=True)

    columns = {error["column"]: error["message"] for error in response.json()["errors"]}
    assert set(columns) == {
        "Status",
        "Start date",
        "Thematic areas",
        "Beneficiary countries",
        "Budget",
        "Partners",
        "Assistance on request",
    }
    assert "lasers" in columns["Thematic areas"] and "Atlantis" in columns["Beneficiary countries"]
    assert response.json()["created"] == 0


def test_headers_may_be_codes_and_xlsx_cells_may_be_typed(focal, orgs):
    header = ["title", "start_date", "budget", "currency", "ASSISTANCE ON REQUEST"]
    file = xlsx_file([header, ["Typed", date(2024, 3, 2), 5000, "EUR", True]])

    response = post_import(focal, file, dry_run=False)

    assert counts(response) == (1, 0, 0)
    program = Program.objects.get()
    assert (program.start_date, program.budget, program.assistance_on_request) == (date(2024, 3, 2), 5000, True)


# --- malformed files --------------------------------------------------------------------------------------------


def _formula_workbook():
    return xlsx_file([["Title"], ["=1+1"]])


def _macro_archive():
    buffer = io.BytesIO(_formula_workbook().read())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    return SimpleUploadedFile("programs.xlsx", buffer.getvalue())


MALFORMED = {
    "latin-1 csv": (lambda: SimpleUploadedFile("p.csv", "Title\nCafé\n".encode("latin-1")), "UTF-8"),
    "utf-16 csv": (lambda: SimpleUploadedFile("p.csv", "Title\nX\n".encode("utf-16")), "UTF-8"),
    "formula": (_formula_workbook, "formula"),
    "xlsm": (lambda: SimpleUploadedFile("p.xlsm", _formula_workbook().read()), "macros"),
    "macro inside": (_macro_archive, "macros"),
    "encrypted": (lambda: SimpleUploadedFile("p.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "password"),
    "damaged xlsx": (lambda: SimpleUploadedFile("p.xlsx", b"PK\x03\x04 not really a zip"), "XLSX"),
    "wrong sheet": (lambda: xlsx_file([["Title"], ["X"]], title="Sheet A", extra_sheets=["Sheet B"]), "Programs"),
    "unknown column": (lambda: csv_file([{"Title": "X", "Colour": "red"}]), "Unknown column “Colour”"),
    "missing column": (lambda: csv_file([{"Summary": "No title column"}]), "“Title” is missing"),
    "repeated column": (lambda: csv_file([], header=["Title", "title"]), "given twice"),
    "empty": (lambda: SimpleUploadedFile("p.csv", b""), "empty"),
    "unnamed column": (lambda: SimpleUploadedFile("p.csv", b"Title,,Summary\nX,,Y\n"), "no name"),
    "pdf": (lambda: SimpleUploadedFile("p.pdf", b"%PDF-1.4"), "CSV"),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_file_gets_a_clear_error_and_writes_nothing(focal, orgs, kind):
    make_file, expected = MALFORMED[kind]

    response = post_import(focal, make_file(), dry_run=False)

    assert response.status_code == 400
    assert set(response.json()) == CONTRACT_KEYS
    messages = " ".join(error["message"] for error in response.json()["errors"])
    assert expected in messages
    assert not Program.objects.exists()


def test_files_over_the_size_or_row_limit_are_refused(focal, orgs, settings):
    settings.IMPORT_MAX_ROWS = 3
    too_many = post_import(focal, csv_file([{"Title": str(n)} for n in range(4)]), dry_run=True)
    settings.IMPORT_MAX_BYTES = 10
    too_large = post_import(focal, csv_file([{"Title": "A long enough title"}]), dry_run=True)

    assert "more than 3 rows" in too_many.json()["errors"][0]["message"]
    assert "larger than" in too_large.json()["errors"][0]["message"]


def test_a_csv_with_a_byte_order_mark_and_semicolons_is_read(focal, orgs):
    file = SimpleUploadedFile("p.csv", "\ufeffTitle;Status\nBOM;planned\n".encode())

    assert counts(post_import(focal, file, dry_run=True)) == (1, 0, 0)


# --- the template -----------------------------------------------------------------------------------------------


def test_the_csv_template_is_the_export_header(client):
    response = client.get(reverse("api:imports-programs-template", kwargs={"extension": "csv"}))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == HEADER


def test_the_xlsx_template_has_notes_and_drop_down_lists(client, orgs, codes):
    response = client.get(reverse("api:imports-programs-template", kwargs={"extension": "xlsx"}))

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["Programs", "Notes"]
    assert [cell.value for cell in workbook["Programs"][1]] == HEADER
    notes = " ".join(str(cell.value) for row in workbook["Notes"].iter_rows() for cell in row if cell.value)
    assert "nuclear" in notes and "OWNER" in notes and "Ignored on import" in notes
    validated = {str(rule.sqref).split(":")[0] for rule in workbook["Programs"].data_validations.dataValidation}
    status_column = HEADER.index("Status")
    assert f"{chr(ord('A') + status_column)}2" in validated


def test_the_empty_xlsx_template_imports_as_nothing(focal, client, orgs):
    template = client.get(reverse("api:imports-programs-template", kwargs={"extension": "xlsx"})).content

    response = post_import(focal, SimpleUploadedFile("template.xlsx", template), dry_run=True)

    assert response.json() == {"dry_run": True, "created": 0, "updated": 0, "unchanged": 0, "errors": []}


# --- the page: upload, preview, import --------------------------------------------------------------------------


def test_the_page_previews_without_writing_then_imports_with_its_one_time_token(client, people, orgs):
    client.force_login(people["owner_focal"])
    url = reverse("programs:import")

    preview = client.post(url, {"file": csv_file([{"Title": "From the page"}])})

    assert preview.status_code == 200
    assert not Program.objects.exists()
    token = preview.context["token"]
    result = client.post(url, {"token": token})
    assert result.status_code == 200 and result.context["report"].written
    assert Program.objects.get().title == "From the page"
    # The token is spent: a second press imports nothing twice.
    again = client.post(url, {"token": token})
    assert again.status_code == 302 and Program.objects.count() == 1


def test_the_page_shows_problems_and_offers_no_import(client, people, orgs):
    client.force_login(people["owner_focal"])

    response = client.post(reverse("programs:import"), {"file": csv_file([{"Title": "", "Summary": "No title"}])})

    assert "token" not in response.context
    assert "Row 2, column Title" in response.content.decode()


def test_a_token_from_another_session_imports_nothing(client, people, orgs):
    client.force_login(people["owner_focal"])
    token = client.post(reverse("programs:import"), {"file": csv_file([{"Title": "Mine"}])}).context["token"]
    client.force_login(people["admin"])

    response = client.post(reverse("programs:import"), {"token": token})

    assert response.status_code == 302
    assert not Program.objects.exists()


def test_the_administrator_chooses_the_organization_on_the_page(client, people, orgs):
    client.force_login(people["admin"])
    url = reverse("programs:import")
    token = client.post(url, {"file": csv_file([{"Title": "Chosen"}]), "organization": "CHOSEN"}).context["token"]

    client.post(url, {"token": token})

    assert Program.objects.get().organization == orgs["selected"]


@pytest.mark.parametrize(("persona", "status"), [("owner_member", 403), ("committee", 403), ("owner_focal", 200)])
def test_only_focal_points_and_administrators_open_the_page(client, people, persona, status):
    client.force_login(people[persona])

    assert client.get(reverse("programs:import")).status_code == status


def test_a_new_organization_is_matched_by_name_too(focal, orgs):
    OrganizationFactory(acronym="WCO", name="World Customs Organization")

    file = csv_file([{"Title": "P", "Partners": "World Customs Organization:partner"}])

    response = post_import(focal, file, dry_run=False)

    assert counts(response) == (1, 0, 0)
    assert Program.objects.get().partnerships.get().organization.acronym == "WCO"
