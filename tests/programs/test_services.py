"""Program and document services: files leave storage only on commit; writes lock the row and re-check on it."""

import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from confidentiality import policies
from confidentiality.services import grants_write
from portal.accounts.models import Role, User
from programs.models import Document, Program
from programs.services import (
    DocumentUpload,
    document_create,
    document_delete,
    program_create,
    program_delete,
    program_update,
)
from tests.factories import DocumentFactory, OrganizationFactory, ProgramFactory, RegionFactory, UserFactory


class RolledBack(Exception):
    pass


@pytest.fixture
def owner(db):
    return OrganizationFactory(acronym="OWNER")


@pytest.fixture
def focal(owner):
    return UserFactory(username="owner-focal", role=Role.FOCAL_POINT, organization=owner)


@pytest.fixture
def program(owner):
    program = ProgramFactory(organization=owner, title="Border controls")
    grants_write(program)
    return program


@pytest.fixture
def document(program):
    return DocumentFactory(program=program)


def stored(document: Document) -> bool:
    return document.file.storage.exists(document.file.name)


# --- files go only when the deletion commits ---------------------------------------------------------------


@pytest.mark.parametrize("delete", ["document", "program"])
def test_a_rolled_back_delete_keeps_the_row_and_its_file(
    delete, focal, program, document, django_capture_on_commit_callbacks
):
    # given a delete inside a transaction that then fails
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RolledBack), transaction.atomic():
        if delete == "document":
            document_delete(actor=focal, document=document)
        else:
            program_delete(actor=focal, program=program)
        raise RolledBack

    # then the row still points to a file that is still there
    assert Document.objects.filter(pk=document.pk).exists()
    assert stored(document)


@pytest.mark.parametrize("delete", ["document", "program"])
def test_a_committed_delete_removes_the_file(delete, focal, program, document, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if delete == "document":
            document_delete(actor=focal, document=document)
        else:
            program_delete(actor=focal, program=program)
        assert stored(document), "removed before the commit"

    assert len(callbacks) == 1
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not stored(document)


# --- the right is checked on the locked row ----------------------------------------------------------------


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")


WRITES = {
    "program_update": lambda actor, program, document: program_update(actor=actor, program=program, title="Changed"),
    "program_delete": lambda actor, program, document: program_delete(actor=actor, program=program),
    "document_create": lambda actor, program, document: document_create(
        actor=actor, program=program, title="Plan", file=_upload()
    ),
    "document_delete": lambda actor, program, document: document_delete(actor=actor, document=document),
}


def _snapshot(program: Program) -> tuple:
    return (
        tuple(Program.objects.filter(pk=program.pk).values_list("organization_id", "title")),
        tuple(Document.objects.filter(program_id=program.pk).values_list("pk", "title")),
    )


@pytest.mark.parametrize("write", WRITES)
def test_a_program_moved_to_another_organization_after_the_read_is_refused(write, focal, program, document):
    # given the focal point read its program, which an administrator then gave to another organization
    assert policies.can_edit(focal, program)
    Program.objects.filter(pk=program.pk).update(organization=OrganizationFactory(acronym="OTHER"))
    before = _snapshot(program)

    # when the focal point writes with what it read
    with pytest.raises(PermissionDenied):
        WRITES[write](focal, program, document)

    # then nothing was written, and no file was removed
    assert _snapshot(program) == before
    assert stored(document)


@pytest.mark.parametrize("write", WRITES)
def test_a_focal_point_demoted_after_the_read_is_refused(write, focal, program, document):
    assert policies.can_edit(focal, program)  # the role is read, and cached on the user object
    User.objects.filter(pk=focal.pk).update(role=Role.MEMBER)
    before = _snapshot(program)

    with pytest.raises(PermissionDenied):
        WRITES[write](focal, program, document)

    assert _snapshot(program) == before


@pytest.mark.parametrize("write", ["program_update", "program_delete", "document_create"])
def test_every_program_write_locks_the_program_row(write, focal, program, document):
    with CaptureQueriesContext(connection) as captured:
        WRITES[write](focal, program, document)

    assert any('FOR UPDATE OF "programs_program"' in query["sql"] for query in captured)


def test_a_document_delete_locks_its_program_too(focal, document):
    with CaptureQueriesContext(connection) as captured:
        document_delete(actor=focal, document=document)

    locks = [query["sql"] for query in captured if "FOR UPDATE" in query["sql"]]
    assert any('FOR UPDATE OF "programs_document", "programs_program"' in sql for sql in locks), locks


def test_a_program_deleted_meanwhile_answers_404(focal, program):
    Program.objects.filter(pk=program.pk).delete()

    with pytest.raises(Http404):
        program_update(actor=focal, program=program, title="Changed")


# --- codes and countries --------------------------------------------------------------------------------------


def test_codes_and_countries_keep_the_order_given_without_repeats(focal, program):
    africa, asia = RegionFactory(code="002"), RegionFactory(code="142")

    program_update(actor=focal, program=program, regions=["142", "002", "142"], funding_states=["no", "FR", "NO"])

    program.refresh_from_db()
    assert set(program.regions.all()) == {africa, asia}
    assert program.funding_states == ["NO", "FR"]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"regions": ["002", "999x"]}, {"regions": ["Unknown codes: 999x."]}),
        (
            {"beneficiary_countries": ["FR", "XX"]},
            {"beneficiary_countries": ["Unknown country codes (ISO 3166-1 alpha-2): XX."]},
        ),
        ({"colour": "blue"}, {"colour": ["This field cannot be changed here."]}),
    ],
)
def test_unknown_codes_and_fields_are_reported_on_their_field(arguments, error, focal, program):
    RegionFactory(code="002")

    with pytest.raises(ValidationError) as raised:
        program_update(actor=focal, program=program, **arguments)

    assert raised.value.message_dict == error


# --- documents written with the program: all or nothing --------------------------------------------------------


def _files_in_storage() -> list[str]:
    root = storages["default"].location  # the per-test folder of tests/conftest.py
    return [name for _folder, _dirs, names in os.walk(root) for name in names]


def test_program_create_attaches_its_documents(focal, owner):
    program = program_create(
        actor=focal,
        organization=owner,
        title="Export controls",
        documents=[
            DocumentUpload(file=_upload(), title="Plan"),
            DocumentUpload(file=SimpleUploadedFile("a.csv", b"x")),
        ],
    )

    assert sorted(program.documents.values_list("title", "content_type")) == [
        ("Plan", "application/pdf"),
        ("a.csv", "text/csv"),
    ]


def test_one_refused_file_and_nothing_is_written_naming_every_refused_file(focal, owner):
    documents = [
        DocumentUpload(file=_upload()),
        DocumentUpload(file=SimpleUploadedFile("report.exe", b"MZ")),
        DocumentUpload(file=SimpleUploadedFile("empty.txt", b"")),
    ]

    with pytest.raises(ValidationError) as refused:
        program_create(actor=focal, organization=owner, title="Export controls", documents=documents)

    assert [message.split(":")[0] for message in refused.value.message_dict["file"]] == ["report.exe", "empty.txt"]
    assert not Program.objects.exists()
    assert not Document.objects.exists()
    assert _files_in_storage() == []


def test_a_failure_while_storing_removes_the_files_already_stored(focal, program):
    # given the second document's row cannot be written (a title longer than the column)
    documents = [DocumentUpload(file=_upload()), DocumentUpload(file=_upload(), title="x" * 301)]

    with pytest.raises(ValidationError):
        program_update(actor=focal, program=program, documents=documents)

    assert not Document.objects.exists()
    assert _files_in_storage() == []
