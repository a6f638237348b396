"""What every kind of import has, run for each: programs, points of contact, interactions and events.

Who may import (the API and the page), the templates (CSV header, XLSX notes and drop-down lists, in the user's
language), a dry run that writes nothing, re-importing the same file that changes nothing, malformed files refused
with a clear error and nothing written, and the page: preview, then import with the one-time token, then history.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from confidentiality.models import SharingAudit
from contacts.models import PointOfContact
from iros.models import Event, Interaction
from portal.imports.importers import importer_for
from portal.imports.models import ImportJob
from portal.imports.tasks import imports_job_run
from portal.notifications.models import Notification
from programs.models import Program
from tests.factories import api_client_for
from tests.imports.files import CONTRACT_KEYS, counts, csv_file, macro_workbook, post_import, xlsx_file

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    model: type[models.Model]
    sheet: str  # the data sheet's name in English
    rows: list[dict]  # two valid rows, keyed
    importers: tuple[str, ...]  # personas who import
    refused: tuple[str, ...]  # signed-in personas who may not
    required: str  # a required column's header
    coded: str  # a single-valued coded column's header (a drop-down list in the XLSX template)
    extra: dict = field(default_factory=dict)  # what an administrator adds to the request


CASES = {
    "programs": Case(
        model=Program,
        sheet="Programs",
        rows=[
            {"Key": "P-1", "Title": "Border controls"},
            {"Key": "P-2", "Title": "Export licensing", "End date": "2025"},
        ],
        importers=("owner_focal", "admin"),
        refused=("owner_member", "committee"),
        required="Title",
        coded="Status",
        extra={"organization": "OWNER"},
    ),
    "contacts": Case(
        model=PointOfContact,
        sheet="Points of contact",
        rows=[
            {"Key": "C-1", "Role": "assistance", "Person": "Jane Doe", "E-mail": "jane@example.org"},
            {
                "Key": "C-2",
                "Role": "Point of contact for implementation",
                "Person": "John Roe",
                "Designated since": "2011-06",
            },
        ],
        importers=("owner_focal", "admin"),
        refused=("owner_member", "committee"),
        required="Person",
        coded="Role",
        extra={"organization": "OWNER"},
    ),
    "interactions": Case(
        model=Interaction,
        sheet="Interactions",
        rows=[
            {"Key": "I-1", "Date": "2011-06", "Kind": "meeting", "Organizations": "OWNER; OTHER", "Summary": "Met"},
            {
                "Key": "I-2",
                "Date": "2011-10-10",
                "Kind": "Joint activity",
                "Organizations": "CHOSEN",
                "Summary": "Joint",
            },
        ],
        importers=("committee", "admin"),
        refused=("owner_focal", "owner_member"),
        required="Summary",
        coded="Kind",
    ),
    "events": Case(
        model=Event,
        sheet="Events",
        rows=[
            {"Key": "E-1", "Title": "Vienna workshop", "Start date": "2010-12-15", "End date": "2010-12-16"},
            {"Key": "E-2", "Title": "Regional seminar", "Start date": "2011", "Country": "Austria"},
        ],
        importers=("committee", "admin"),
        refused=("owner_focal", "owner_member"),
        required="Title",
        coded="Region",
    ),
}
KINDS = list(CASES)


def client_for(people, persona: str):
    return api_client_for(people[persona])


def data_for(case: Case, persona: str) -> dict:
    return case.extra if persona == "admin" else {}


# --- who may import ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", KINDS)
def test_signed_out_callers_get_401_and_others_403_and_nothing_is_written(slug, people):
    case = CASES[slug]
    assert post_import(api_client_for(None), slug, csv_file(case.rows), dry_run=False).status_code == 401
    for persona in case.refused:
        response = post_import(client_for(people, persona), slug, csv_file(case.rows), dry_run=False)
        assert response.status_code == 403, persona
    assert not case.model.objects.exists()


@pytest.mark.parametrize("slug", KINDS)
def test_the_page_opens_to_who_may_import_only(slug, client, people):
    case = CASES[slug]
    importer = importer_for(slug)
    for persona in case.refused:
        client.force_login(people[persona])
        assert client.get(importer.url("import")).status_code == 403, persona
        assert client.get(importer.url("import_history")).status_code == 403, persona
    for persona in case.importers:
        client.force_login(people[persona])
        assert client.get(importer.url("import")).status_code == 200, persona
    client.logout()
    assert client.get(importer.url("import")).status_code == 302


# --- dry run, import, import again --------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", KINDS)
@pytest.mark.parametrize("persona", ["importer", "admin"])
def test_a_dry_run_writes_nothing_then_the_import_writes_all_then_again_changes_nothing(slug, persona, people):
    case = CASES[slug]
    persona = case.importers[0] if persona == "importer" else persona
    client = client_for(people, persona)
    data = data_for(case, persona)

    dry = post_import(client, slug, csv_file(case.rows), dry_run=True, **data)

    assert dry.status_code == 200 and set(dry.json()) == CONTRACT_KEYS
    assert dry.json() == {"dry_run": True, "created": 2, "updated": 0, "unchanged": 0, "errors": []}
    assert not case.model.objects.exists()
    assert not SharingAudit.objects.exists() and not Notification.objects.exists()

    real = post_import(client, slug, csv_file(case.rows), dry_run=False, **data)

    assert real.status_code == 200, real.json()
    assert counts(real) == (2, 0, 0)
    assert case.model.objects.count() == 2
    written = list(case.model.objects.order_by("pk").values())

    again = post_import(client, slug, csv_file(case.rows), dry_run=False, **data)

    assert again.status_code == 200 and counts(again) == (0, 0, 2)
    assert list(case.model.objects.order_by("pk").values()) == written


@pytest.mark.parametrize("slug", KINDS)
def test_a_problem_in_one_row_writes_nothing_and_names_the_row_and_column(slug, people):
    case = CASES[slug]
    persona = case.importers[0]
    rows = [*case.rows, {**case.rows[0], "Key": "X-9", case.required: ""}]

    response = post_import(client_for(people, persona), slug, csv_file(rows), dry_run=False)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (4, case.required)
    assert not case.model.objects.exists()


@pytest.mark.parametrize("slug", KINDS)
def test_a_key_used_twice_in_one_file_is_a_problem(slug, people):
    case = CASES[slug]
    rows = [case.rows[0], {**case.rows[1], "Key": case.rows[0]["Key"]}]

    response = post_import(client_for(people, case.importers[0]), slug, csv_file(rows), dry_run=True)

    assert response.json()["errors"] == [{"row": 3, "column": "Key", "message": "The same record is already in row 2."}]


# --- malformed files --------------------------------------------------------------------------------------------


def malformed(case: Case) -> dict:
    return {
        "latin-1 csv": (lambda: SimpleUploadedFile("p.csv", "Title\nCafé\n".encode("latin-1")), "UTF-8"),
        "formula": (lambda: xlsx_file([[case.required], ["=1+1"]], title=case.sheet), "formula"),
        "macros": (lambda: macro_workbook(case.sheet), "macros"),
        "encrypted": (
            lambda: SimpleUploadedFile("p.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
            "password",
        ),
        "wrong sheet": (lambda: xlsx_file([["A"], ["X"]], title="Sheet A", extra_sheets=["Sheet B"]), case.sheet),
        "unknown column": (lambda: csv_file([{**case.rows[0], "Colour": "red"}]), "Unknown column “Colour”"),
        "missing column": (
            lambda: csv_file([{key: value for key, value in case.rows[0].items() if key != case.required}]),
            f"“{case.required}” is missing",
        ),
        "empty": (lambda: SimpleUploadedFile("p.csv", b""), "empty"),
        "pdf": (lambda: SimpleUploadedFile("p.pdf", b"%PDF-1.4"), "CSV"),
    }


@pytest.mark.parametrize("slug", KINDS)
def test_malformed_files_get_a_clear_error_and_write_nothing(slug, people):
    case = CASES[slug]
    client = client_for(people, case.importers[0])
    for name, (make_file, expected) in malformed(case).items():
        response = post_import(client, slug, make_file(), dry_run=False)

        assert response.status_code == 400, name
        assert set(response.json()) == CONTRACT_KEYS, name
        messages = " ".join(error["message"] for error in response.json()["errors"])
        assert expected in messages, (name, messages)
    assert not case.model.objects.exists()


# --- the templates ----------------------------------------------------------------------------------------------


def template(client, slug: str, extension: str):
    return client.get(reverse(f"api:imports-{slug}-template", kwargs={"extension": extension}))


@pytest.mark.parametrize("slug", KINDS)
def test_the_csv_template_names_the_columns_and_reads_back_empty(slug, client, people):
    case = CASES[slug]
    response = template(client, slug, "csv")

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert f"{slug}-template.csv" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert case.required in header and "Key" in header and "ID" in header
    again = post_import(client_for(people, case.importers[0]), slug, SimpleUploadedFile("t.csv", content), dry_run=True)
    assert again.json()["errors"] == [] or all(error["row"] == 1 for error in again.json()["errors"])


@pytest.mark.parametrize("slug", KINDS)
def test_the_xlsx_template_has_notes_and_drop_down_lists_and_imports_as_nothing(slug, client, people, orgs):
    case = CASES[slug]
    content = template(client, slug, "xlsx").content

    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames[:2] == [case.sheet, "Notes"]
    header = [cell.value for cell in workbook[case.sheet][1]]
    notes = " ".join(str(cell.value) for row in workbook["Notes"].iter_rows() for cell in row if cell.value)
    assert all(column in notes for column in header)
    validated = {str(rule.sqref).split(":")[0] for rule in workbook[case.sheet].data_validations.dataValidation}
    assert f"{get_column_letter(header.index(case.coded) + 1)}2" in validated
    response = post_import(
        client_for(people, case.importers[0]), slug, SimpleUploadedFile("t.xlsx", content), dry_run=True
    )
    assert response.json() == {"dry_run": True, "created": 0, "updated": 0, "unchanged": 0, "errors": []}


@pytest.mark.parametrize("slug", KINDS)
def test_the_template_is_in_the_users_language_and_a_french_file_imports(slug, client, people):
    case = CASES[slug]
    client.cookies["django_language"] = "fr"
    content = template(client, slug, "xlsx").content
    workbook = load_workbook(io.BytesIO(content))
    with translation.override("en"):
        english = importer_for(slug).kind(actor=None).columns()
    with translation.override("fr"):
        french = importer_for(slug).kind(actor=None).columns()
        assert workbook.sheetnames[0] == str(importer_for(slug).kind(actor=None).sheet_title)
    assert [cell.value for cell in workbook.worksheets[0][1]] == [column.label for column in french]
    assert [column.label for column in french] != [column.label for column in english]
    # A file with the French headers imports for someone whose language is English.
    labels = {column.label: column_fr.label for column, column_fr in zip(english, french, strict=True)}
    rows = [{labels[key]: value for key, value in row.items()} for row in case.rows]
    response = post_import(client_for(people, case.importers[0]), slug, csv_file(rows), dry_run=True)
    assert response.json()["errors"] == [] and counts(response) == (2, 0, 0)


# --- the page: preview, import, history -------------------------------------------------------------------------


@pytest.mark.parametrize("slug", KINDS)
def test_the_page_previews_then_imports_with_its_token_then_shows_the_history(slug, client, people):
    case = CASES[slug]
    importer = importer_for(slug)
    client.force_login(people[case.importers[0]])

    preview = client.post(importer.url("import"), {"file": csv_file(case.rows, name=f"{slug}.csv")})

    assert preview.status_code == 200 and not case.model.objects.exists()
    page = preview.content.decode()
    assert "Importing will create 2, update 0 and leave 0 unchanged." in page
    result = client.post(importer.url("import"), {"token": preview.context["token"]})
    assert result.status_code == 200 and result.context["report"].written
    assert case.model.objects.count() == 2
    job = ImportJob.objects.get()
    assert (job.kind, job.state, job.inline, job.filename) == (slug, "done", True, f"{slug}.csv")
    history = client.get(importer.url("import_history")).content.decode()
    assert f"{slug}.csv" in history and "2 created, 0 updated, 0 unchanged." in history
    assert client.get(job.get_absolute_url()).status_code == 200


def test_each_kinds_history_and_job_pages_hold_only_its_own_jobs(client, people):
    client.force_login(people["admin"])
    for slug, case in CASES.items():
        importer = importer_for(slug)
        token = client.post(
            importer.url("import"), {"file": csv_file(case.rows, name=f"{slug}.csv"), **case.extra}
        ).context["token"]
        client.post(importer.url("import"), {"token": token})
    jobs = {job.kind: job for job in ImportJob.objects.all()}
    assert set(jobs) == set(KINDS)

    for slug in KINDS:
        importer = importer_for(slug)
        assert [job.kind for job in client.get(importer.url("import_history")).context["jobs"]] == [slug]
        other = jobs[next(kind for kind in KINDS if kind != slug)]
        assert client.get(importer.url("import_job", other.pk)).status_code == 404


@override_settings(IMPORT_INLINE_MAX_ROWS=1)
@pytest.mark.parametrize("slug", KINDS)
def test_a_large_file_of_any_kind_is_queued_and_the_worker_imports_it(
    slug, client, people, django_capture_on_commit_callbacks
):
    case = CASES[slug]
    importer = importer_for(slug)
    client.force_login(people[case.importers[0]])
    token = client.post(importer.url("import"), {"file": csv_file(case.rows)}).context["token"]

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(importer.url("import"), {"token": token})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.get_absolute_url() == importer.url("import_job", job.pk)
    assert len(callbacks) == 1  # the task, queued once the job commits; its body runs here
    assert imports_job_run(job.pk) == "done"
    job.refresh_from_db()
    assert (job.kind, job.state, job.inline) == (slug, "done", False)
    assert job.result == {"dry_run": False, "created": 2, "updated": 0, "unchanged": 0, "errors": []}
    assert case.model.objects.count() == 2


LIST_PAGES = {
    "programs": ["programs:list"],
    "contacts": ["contacts:list"],
    "interactions": ["igo:interactions", "igo:tables"],
    "events": ["iros:events", "igo:tables"],
}


@pytest.mark.parametrize("slug", KINDS)
def test_the_list_pages_link_to_the_import_for_who_may_import_only(slug, client, people):
    case = CASES[slug]
    link = f'href="{importer_for(slug).url("import")}"'
    for persona, shown in [(case.importers[0], True), ("admin", True), *((persona, False) for persona in case.refused)]:
        client.force_login(people[persona])
        for page in LIST_PAGES[slug]:
            response = client.get(reverse(page))
            if response.status_code == 200:
                assert (link in response.content.decode()) == shown, (persona, page)
            else:
                assert not shown, (persona, page)
