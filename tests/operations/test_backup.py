"""The restore drill: seed, back up, wipe (a new empty database and documents directory), restore, compare.

Real PostgreSQL, real `pg_dump` and `pg_restore` (the ones matching the server's version), real files. The test
database's rows are committed (transactional tests) so that `pg_dump`, another connection, sees them.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from psycopg2 import sql

from confidentiality import services as sharing
from confidentiality.models import Audience, SharingAudit, State
from confidentiality.services import grants_write
from iros.models import Organization
from portal.operations import backup as backup_module
from portal.operations.backup import Target, database_objects, table_row_counts
from programs.models import Document, Program
from programs.services import program_delete
from tests.factories import DocumentFactory, ProgramFactory

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parents[2]


def _database_url(name: str) -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}/{name}"
    )


def _server(autocommit_sql, *names):
    """Run a statement on the server (CREATE/DROP DATABASE cannot run inside a transaction)."""
    database = connection.settings_dict
    server = psycopg2.connect(
        dbname="postgres",
        user=database["USER"],
        password=database.get("PASSWORD") or None,
        host=database["HOST"] or "localhost",
        port=database["PORT"] or 5432,
    )
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(sql.SQL(autocommit_sql).format(*map(sql.Identifier, names)))
    finally:
        server.close()


@pytest.fixture
def empty_database():
    """A fresh empty database beside the test database: the "wiped" server the backup is restored onto."""
    name = f"{connection.settings_dict['NAME']}_restored"
    _server("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
    _server("CREATE DATABASE {}", name)
    yield name
    _server("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


def _rows(database_name: str, query: str) -> list[tuple]:
    with Target.from_url(_database_url(database_name)).connect() as restored, restored.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


def _counts(database_name: str) -> dict[str, int]:
    target = Target.from_url(_database_url(database_name)).connect()
    try:
        with target.cursor() as cursor:
            return table_row_counts(cursor)
    finally:
        target.close()


def _objects(database_name: str) -> int:
    target = Target.from_url(_database_url(database_name)).connect()
    try:
        with target.cursor() as cursor:
            return database_objects(cursor)
    finally:
        target.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def seeded(world, make_program, make_contact):
    """Programs and contacts of every audience, documents with distinct content, and sharing changes audited."""
    people, orgs = world.people, world.orgs
    with transaction.atomic():  # a `selected` record and its shared_with rows commit together (a database guard)
        programs = [
            make_program(state=State.SUBMITTED, audience=audience, title=f"Program {audience}")
            for audience in (Audience.COMMITTEE, Audience.SELECTED, Audience.ALL_IROS, Audience.PUBLIC)
        ]
        programs.append(make_program(state=State.DRAFT, audience=Audience.COMMITTEE, title="A draft"))
        make_contact(state=State.SUBMITTED, audience=Audience.PUBLIC)
    for number, program in enumerate(programs):
        DocumentFactory(program=program, file__data=os.urandom(2048 + number), file__filename=f"d{number}.pdf")
    # sharing changes through the one service: each writes its audit row
    sharing.submission_set_audience(actor=people["owner_focal"], record=programs[0], audience=Audience.ALL_IROS)
    sharing.submission_set_audience(
        actor=people["owner_focal"], record=programs[3], audience=Audience.SELECTED, shared_with=[orgs["other"].acronym]
    )
    assert SharingAudit.objects.count() >= 2
    assert Document.objects.count() == len(programs)
    return programs


def orgs_group_name(acronym: str) -> str:
    return Organization.objects.get(acronym=acronym).group.name


def _backup(tmp_path: Path, *extra: str) -> Path:
    output = tmp_path / "backups"
    call_command("backup", "--output-dir", str(output), *extra, stdout=(out := _Capture()), stderr=_Capture())
    return Path(out.text.strip())


class _Capture:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_the_restore_drill(seeded, tmp_path, empty_database):
    source = connection.settings_dict["NAME"]
    storage_root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])

    # given: a backup of the seeded portal
    archive = _backup(tmp_path)
    assert archive.name.startswith("portal-backup-") and archive.suffix == ".tar" and archive.is_file()
    assert not [path for path in archive.parent.iterdir() if path.name.startswith(".")]  # no partial left

    # when: restored onto a fresh empty database and an empty documents directory
    restored = tmp_path / "restored-documents"
    call_command(
        "restore",
        str(archive),
        "--database-url",
        _database_url(empty_database),
        "--documents-dir",
        str(restored),
    )

    # then: every table has the same rows
    assert _counts(empty_database) == _counts(source)
    # and the grant index matches every record's state and audience
    check = subprocess.run(
        [sys.executable, "manage.py", "check_grants"],
        cwd=BASE_DIR,
        env={
            **{key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "MIGRATION_DATABASE_URL"}},
            "DJANGO_SETTINGS_MODULE": "portal.settings.base",
            "DATABASE_URL": _database_url(empty_database),
        },
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No mismatches." in check.stdout
    # and the audit is the same, row for row
    audit = "SELECT * FROM confidentiality_sharingaudit ORDER BY id"
    assert _rows(empty_database, audit) == _rows(source, audit)
    # and every document is there with the same content
    for document in Document.objects.all():
        assert sha256(restored / document.file.name) == sha256(storage_root / document.file.name)
    restored_files = sorted(path.relative_to(restored).as_posix() for path in restored.rglob("*"))
    assert {document.file.name for document in Document.objects.all()} <= set(restored_files)
    # and the sequences go on after the restored rows (a new row does not collide)
    [(next_id,)] = _rows(empty_database, "SELECT nextval('programs_program_id_seq')")
    assert next_id > max(program.pk for program in seeded)


def test_the_manifest_says_what_the_archive_holds(seeded, tmp_path):
    archive = _backup(tmp_path, "--directory")

    manifest = json.loads((archive / "manifest.json").read_text())

    assert set(manifest) >= {"format", "created", "versions", "database", "tables", "documents"}
    assert set(manifest["versions"]) >= {"portal", "django", "postgresql", "pg_dump"}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert manifest["versions"]["postgresql"] == cursor.fetchone()[0]
    assert manifest["versions"]["pg_dump"].startswith("pg_dump (PostgreSQL)")
    assert manifest["tables"]["public.programs_program"] == len(seeded)
    assert manifest["tables"]["public.confidentiality_sharingaudit"] == SharingAudit.objects.count()
    assert manifest["database"]["sha256"] == sha256(archive / "database.dump")
    files = manifest["documents"]["files"]
    assert set(files) >= {document.file.name for document in Document.objects.all()}
    for name, entry in files.items():
        assert entry["sha256"] == sha256(archive / "documents" / name)
    assert not any(name.startswith("health/") for name in files)
    assert manifest["documents"]["missing"] == []


def test_a_database_that_is_not_empty_is_refused_and_nothing_is_written(seeded, tmp_path):
    archive = _backup(tmp_path)
    source = connection.settings_dict["NAME"]
    before = _counts(source)
    documents = tmp_path / "restored-documents"

    with pytest.raises(CommandError, match="is not empty"):
        call_command(
            "restore", str(archive), "--database-url", _database_url(source), "--documents-dir", str(documents)
        )

    assert _counts(source) == before
    assert not documents.exists()
    assert not [path for path in tmp_path.iterdir() if ".restoring-" in path.name]


def test_a_documents_directory_that_is_not_empty_is_refused(seeded, tmp_path, empty_database):
    archive = _backup(tmp_path)
    documents = tmp_path / "restored-documents"
    documents.mkdir()
    (documents / "somebody-else.txt").write_text("keep me")

    with pytest.raises(CommandError, match="is not empty"):
        call_command(
            "restore", str(archive), "--database-url", _database_url(empty_database), "--documents-dir", str(documents)
        )

    assert _objects(empty_database) == 0
    assert [path.name for path in documents.iterdir()] == ["somebody-else.txt"]


def test_an_altered_archive_is_refused_before_anything_is_written(seeded, tmp_path, empty_database):
    archive = _backup(tmp_path, "--directory")
    document = next(path for path in (archive / "documents").rglob("*") if path.is_file())
    document.write_bytes(document.read_bytes()[:-1] + b"!")
    documents = tmp_path / "restored-documents"

    with pytest.raises(CommandError, match="does not match its manifest"):
        call_command(
            "restore", str(archive), "--database-url", _database_url(empty_database), "--documents-dir", str(documents)
        )

    assert _objects(empty_database) == 0
    assert not documents.exists()


def test_a_failing_load_leaves_the_database_and_the_directory_as_they_were(seeded, tmp_path, empty_database):
    # given: a dump the manifest vouches for, that pg_restore cannot load (a truncated copy, re-hashed)
    archive = _backup(tmp_path, "--directory")
    dump = archive / "database.dump"
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    manifest = json.loads((archive / "manifest.json").read_text())
    manifest["database"]["sha256"] = sha256(dump)
    (archive / "manifest.json").write_text(json.dumps(manifest))
    documents = tmp_path / "restored-documents"

    with pytest.raises(CommandError, match="pg_restore"):
        call_command(
            "restore", str(archive), "--database-url", _database_url(empty_database), "--documents-dir", str(documents)
        )

    assert _objects(empty_database) == 0
    assert not documents.exists()
    assert not [path for path in tmp_path.iterdir() if ".restoring-" in path.name]


def test_keep_removes_the_oldest_archives(tmp_path, db):
    output = tmp_path / "backups"
    output.mkdir()
    for stamp in ("20250101T000000Z", "20250102T000000Z", "20250103T000000Z"):
        (output / f"portal-backup-{stamp}.tar").write_bytes(b"old")
    (output / "notes.txt").write_text("not an archive")

    newest = _backup(tmp_path, "--keep", "2")

    assert sorted(path.name for path in output.iterdir()) == sorted(
        [newest.name, "portal-backup-20250103T000000Z.tar", "notes.txt"]
    )


def test_a_tar_archive_holds_one_directory(seeded, tmp_path):
    archive = _backup(tmp_path)

    with tarfile.open(archive) as opened:
        tops = {name.split("/", 1)[0] for name in opened.getnames()}

    assert tops == {archive.name.removesuffix(".tar")}


# --- one organization's deleted records, back from a scratch restore ---------------------------------------------


def test_one_organizations_deleted_programs_come_back_from_a_scratch_restore(world, seeded, tmp_path, empty_database):
    people, orgs = world.people, world.orgs
    storage_root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    archive = _backup(tmp_path)
    # given: after the backup, the owner's focal point deletes two programs (one shared with a selected
    # organization, both with a document) and the portal goes on (a new program)
    deleted = list(Program.objects.filter(pk__in=[seeded[1].pk, seeded[3].pk]).order_by("pk"))
    before = {
        program.pk: (
            program.title,
            program.audience,
            sorted(program.shared_with.values_list("acronym", flat=True)),
            [(document.file.name, sha256(storage_root / document.file.name)) for document in program.documents.all()],
        )
        for program in deleted
    }
    for program in deleted:
        program_delete(actor=people["owner_focal"], program=program)
    assert not (storage_root / before[deleted[0].pk][3][0][0]).exists()  # the file went with its row
    with transaction.atomic():
        later = ProgramFactory(organization=orgs["owner"], title="Written after the backup")
        grants_write(later)
    scratch_documents = tmp_path / "scratch-documents"
    call_command(
        "restore",
        str(archive),
        "--database-url",
        _database_url(empty_database),
        "--documents-dir",
        str(scratch_documents),
    )
    options = ["--from-database-url", _database_url(empty_database), "--from-documents-dir", str(scratch_documents)]

    # when: listed only
    listing = _Capture()
    call_command("recover_deleted", *options, "--organization", "OWNER", stdout=listing)
    # then: they are named, and nothing changed
    assert all(f"#{program.pk} {before[program.pk][0]}" in listing.text for program in deleted)
    assert not Program.objects.filter(pk__in=before).exists()

    # when: applied
    call_command("recover_deleted", *options, "--organization", "OWNER", "--apply", stdout=_Capture())

    # then: both are back as they were, with their documents' files, audiences and grants
    for pk, (title, audience, shared_with, documents) in before.items():
        program = Program.objects.get(pk=pk)
        assert (program.title, program.audience) == (title, audience)
        assert sorted(program.shared_with.values_list("acronym", flat=True)) == shared_with
        assert [
            (document.file.name, sha256(storage_root / document.file.name)) for document in program.documents.all()
        ] == documents
    call_command("check_grants", stdout=(grants := _Capture()))
    assert "No mismatches." in grants.text
    for pk, (_title, _audience, shared_with, _documents) in before.items():
        for acronym in shared_with:  # each selected organization's members see it again
            assert Program.objects.filter(pk=pk, grants__group__name=orgs_group_name(acronym)).exists()
    # and what was written since the backup is untouched; a second run finds nothing more to do
    assert Program.objects.filter(pk=later.pk).exists()
    call_command("recover_deleted", *options, "--organization", "OWNER", "--apply", stdout=(again := _Capture()))
    assert "nothing to do" in again.text


def test_without_output_dir_archives_go_to_backup_dir(tmp_path, settings, db):
    settings.BACKUP_DIR = tmp_path / "configured"

    call_command("backup", stdout=(out := _Capture()), stderr=_Capture())

    assert Path(out.text.strip()).parent == tmp_path / "configured"


def test_a_file_a_row_names_that_changed_or_vanished_during_the_copy_is_handled(seeded, tmp_path, monkeypatch):
    # given: while the first pass copies, one document's file is still being written (a partial copy), and one is
    # deleted just after it was listed
    storage_root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    growing, vanishing = (document.file.name for document in Document.objects.order_by("pk")[:2])
    real_copy = backup_module._copy_hashed
    first_pass = {"done": set()}

    def copy(source: Path, destination: Path) -> dict:
        name = source.relative_to(storage_root).as_posix()
        if name == vanishing and name not in first_pass["done"]:
            first_pass["done"].add(name)
            raise FileNotFoundError(name)
        entry = real_copy(source, destination)
        if name == growing and name not in first_pass["done"]:
            first_pass["done"].add(name)
            with source.open("ab") as handle:  # the rest of the upload lands after the copy
                handle.write(b"the rest")
        return entry

    monkeypatch.setattr(backup_module, "_copy_hashed", copy)

    archive = _backup(tmp_path, "--directory")

    # then: both are in the archive as the storage holds them now, with matching checksums
    manifest = json.loads((archive / "manifest.json").read_text())
    for name in (growing, vanishing):
        recorded = manifest["documents"]["files"][name]["sha256"]
        assert sha256(archive / "documents" / name) == sha256(storage_root / name) == recorded
    assert manifest["documents"]["missing"] == []
