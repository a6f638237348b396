"""Backups of the database and the documents together, and their restore into an empty database and directory.

An archive (a directory, or the same as one tar file) holds:

    manifest.json    when, from which versions, each table's row count, the SHA-256 of the dump and of every document
    database.dump    `pg_dump --format=custom` of the whole database
    documents/       the documents storage's files, under their stored names

**Consistency.** The dump, the row counts and the list of files the rows name all come from one exported
snapshot (`pg_export_snapshot()` held open while `pg_dump --snapshot` runs), so they describe one instant. Files
are copied in two passes: the whole storage before the snapshot, then whatever the snapshot's rows name that the
first pass did not see or saw still being written (its size or time changed since). A row's file is written before
the row commits and removed only after its row's deletion commits, so every file the snapshot names is caught by
one of the passes unless it was created and deleted again while the backup ran; such a file is listed under
`missing` in the manifest and reported.

**Restore** checks the whole archive against its manifest before writing anything, refuses a database that holds
any table, view, sequence or function, or a documents directory that holds anything, then stages the documents
beside the target directory, loads the dump in one transaction (`pg_restore --single-transaction`), and only then
moves the documents into place: a failure at any step leaves the targets as they were. Objects are owned by the
restoring role (the owner, MIGRATION_DATABASE_URL); privileges are not restored from the dump but granted again by
`provision_db_roles`, so an archive restores into a cluster whose roles differ from the source's.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import django
import environ
import psycopg2
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from psycopg2 import sql

from portal.operations.versions import portal_version

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
DOCUMENTS = "documents"
ARCHIVE_PREFIX = "portal-backup-"
# Files the portal itself writes and removes within one request: never part of a backup.
TRANSIENT_FOLDERS = ("health",)
CHUNK = 1024 * 1024
# PostgreSQL's own schemas (pg_catalog, pg_toast, pg_temp_N…); run without parameters, so `%` is itself.
SYSTEM_SCHEMAS = r"n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'"


class BackupError(Exception):
    """The backup or restore cannot go on; nothing was left half-done."""


# --- connections and PostgreSQL's tools ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A database to dump or restore into, as libpq parameters."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    sslmode: str = ""

    @classmethod
    def from_settings(cls, alias: str) -> Target:
        return cls._from_database(settings.DATABASES[alias])

    @classmethod
    def from_url(cls, url: str) -> Target:
        # The same parsing as DATABASE_URL's (django-environ), so both accept the same URLs.
        return cls._from_database(environ.Env.db_url_config(url))

    @classmethod
    def _from_database(cls, database: dict) -> Target:
        return cls(
            name=database["NAME"],
            user=database.get("USER") or "",
            password=database.get("PASSWORD") or "",
            host=database.get("HOST") or "",
            port=str(database.get("PORT") or ""),
            sslmode=(database.get("OPTIONS") or {}).get("sslmode", ""),
        )

    def libpq_environment(self) -> dict[str, str]:
        """For pg_dump and pg_restore: the password travels in the environment, never on a command line.

        The caller's own PG* connection variables are dropped: this target alone says where to connect.
        """
        values = {
            "PGDATABASE": self.name,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGSSLMODE": self.sslmode,
        }
        inherited = {key: value for key, value in os.environ.items() if key not in values}
        return {**inherited, **{key: value for key, value in values.items() if value}}

    def connect(self):
        parameters = {"dbname": self.name, "user": self.user, "password": self.password, "host": self.host}
        parameters |= {"port": self.port, "sslmode": self.sslmode}
        return psycopg2.connect(**{key: value for key, value in parameters.items() if value})


def server_major_version(cursor) -> int:
    cursor.execute("SHOW server_version_num")
    return int(cursor.fetchone()[0]) // 10000


def _tool_major_version(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)*", output)
    return int(match.group(1)) if match else 0


def postgresql_tool(name: str, *, server_major: int) -> str:
    """The `pg_dump` or `pg_restore` to use with a server of this major version: at least as new as the server.

    PG_BIN_DIR wins; then Debian's versioned directory for the server's version; then the one on PATH.
    """
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{server_major}/bin/{name}"))
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            found = _tool_major_version(str(candidate))
            if found >= server_major:
                return str(candidate)
    raise BackupError(
        f"No {name} for PostgreSQL {server_major} or newer: install the PostgreSQL {server_major} client tools "
        f"(Debian: postgresql-client-{server_major}) or set PG_BIN_DIR to their directory."
    )


def _run_tool(command: list[str], *, target: Target, what: str) -> None:
    finished = subprocess.run(command, env=target.libpq_environment(), capture_output=True, text=True)  # noqa: S603
    if finished.returncode != 0:
        raise BackupError(f"{what} failed (exit {finished.returncode}):\n{finished.stderr.strip()}")


# --- what the database holds ----------------------------------------------------------------------------------


def table_row_counts(cursor) -> dict[str, int]:
    """Exact row counts of every table outside PostgreSQL's own schemas, as `schema.table`."""
    cursor.execute(
        f"""
        SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND {SYSTEM_SCHEMAS} ORDER BY 1, 2
        """  # noqa: S608 (no input: a constant condition)
    )
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def _file_columns() -> list[tuple[str, str]]:
    """Every (table, column) holding a stored file's name: each model's FileFields (documents, import files…)."""
    return [
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def referenced_files(cursor) -> set[str]:
    """The stored names the database's rows point to."""
    names: set[str] = set()
    for table, column in _file_columns():
        cursor.execute(
            sql.SQL("SELECT {column} FROM {table} WHERE {column} <> ''").format(
                column=sql.Identifier(column), table=sql.Identifier(table)
            )
        )
        names.update(name for (name,) in cursor.fetchall())
    return names


def database_objects(cursor) -> int:
    """How many relations, functions and extensions (plpgsql aside) a database holds outside system schemas."""
    cursor.execute(
        f"""
        SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {SYSTEM_SCHEMAS})
             + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {SYSTEM_SCHEMAS})
             + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')
        """  # noqa: S608 (no input: a constant condition)
    )
    return cursor.fetchone()[0]


# --- files ------------------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashed(source: Path, destination: Path) -> dict:
    """Copy a file, hashing what was read; the copy's bytes are the hashed ones."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reader, destination.open("xb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    shutil.copystat(source, destination)
    return {"sha256": digest.hexdigest(), "size": size}


def _same_file(source: Path, copy: Path) -> bool:
    """The copy was made from the source as it is now (same size and modification time: copystat kept it)."""
    try:
        original, copied = source.stat(), copy.stat()
    except FileNotFoundError:
        return False
    return (original.st_size, original.st_mtime_ns) == (copied.st_size, copied.st_mtime_ns)


def documents_root() -> Path:
    if not isinstance(default_storage, FileSystemStorage):
        raise BackupError(
            "The documents storage is not a directory on this machine: back up its bucket with the storage's own "
            "tools (versioning, replication; docs/deployment.md) and the database with pg_dump."
        )
    return Path(default_storage.location)


def _stored_files(root: Path) -> Iterator[str]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            name = path.relative_to(root).as_posix()
            if name.split("/", 1)[0] not in TRANSIENT_FOLDERS:
                yield name


def safe_member(name: str) -> str:
    """A document's name from a manifest, refused when it could land outside the documents directory."""
    path = Path(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or "\0" in name:
        raise BackupError(f"The manifest names a document outside the documents directory: {name!r}.")
    return name


# --- backup ----------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def _snapshot_transaction(target: Target):
    connection = target.connect()
    connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
    return connection


def backup_create(
    *, output_dir: Path, database: str = "migration", as_tar: bool = True, now: datetime | None = None
) -> BackupResult:
    """Write one archive of the database and the documents into `output_dir`; returns its path and manifest.

    The archive appears under its final name only once complete (it is written under a `.partial` name first).
    """
    now = now or datetime.now(UTC)
    target = Target.from_settings(database)
    root = documents_root()
    output_dir.mkdir(parents=True, exist_ok=True)
    name = f"{ARCHIVE_PREFIX}{now:%Y%m%dT%H%M%SZ}"
    final = output_dir / (f"{name}.tar" if as_tar else name)
    if final.exists():
        raise BackupError(f"{final} already exists.")
    work = output_dir / f".{name}.partial-{uuid.uuid4().hex[:8]}"
    work.mkdir()
    try:
        manifest = _backup_into(work, target=target, root=root, now=now)
        if as_tar:
            partial_tar = output_dir / f".{name}.tar.partial"
            with tarfile.open(partial_tar, "w") as archive:
                archive.add(work, arcname=name)
            partial_tar.rename(final)
            shutil.rmtree(work)
        else:
            work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        (output_dir / f".{name}.tar.partial").unlink(missing_ok=True)
        raise
    return BackupResult(path=final, manifest=manifest)


def _backup_into(work: Path, *, target: Target, root: Path, now: datetime) -> dict:
    documents_dir = work / DOCUMENTS
    documents_dir.mkdir()
    # First pass: everything stored now (see the module's docstring for why two passes).
    files = {}
    for name in _stored_files(root):
        try:
            files[name] = _copy_hashed(root / name, documents_dir / name)
        except FileNotFoundError:  # removed since it was listed: the second pass copes if a row still names it
            (documents_dir / name).unlink(missing_ok=True)
    connection = _snapshot_transaction(target)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version'), current_database()")
            snapshot, server_version, database_name = cursor.fetchone()
            major = server_major_version(cursor)
            counts = table_row_counts(cursor)
            referenced = referenced_files(cursor)
            pg_dump = postgresql_tool("pg_dump", server_major=major)
            _run_tool(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={work / DUMP}"],
                target=target,
                what="pg_dump",
            )
            pg_dump_version = subprocess.run(  # noqa: S603
                [pg_dump, "--version"], capture_output=True, text=True, check=True
            ).stdout.strip()
    finally:
        connection.rollback()
        connection.close()
    # Second pass: files named by the snapshot's rows that the first pass did not see, or saw while they were
    # still being written (their size or time changed since: copied again).
    missing = []
    for name in sorted(referenced):
        source, copy = root / name, documents_dir / name
        if name in files and (not source.exists() or _same_file(source, copy)):
            continue  # copied as it is (or as it was before a deletion that came after the snapshot)
        if not source.is_file():
            missing.append(name)
            continue
        copy.unlink(missing_ok=True)
        files[name] = _copy_hashed(source, copy)
    manifest = {
        "format": FORMAT,
        "created": now.isoformat(),
        "versions": {
            "portal": portal_version(),
            "django": django.get_version(),
            "postgresql": server_version,
            "pg_dump": pg_dump_version,
        },
        "database": {"name": database_name, "file": DUMP, "sha256": sha256_of(work / DUMP)},
        "tables": counts,
        "documents": {
            "count": len(files),
            "bytes": sum(entry["size"] for entry in files.values()),
            "files": dict(sorted(files.items())),
            "missing": missing,
        },
    }
    (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n")
    return manifest


def backups_prune(*, output_dir: Path, keep: int) -> list[Path]:
    """Remove all but the `keep` newest archives this command wrote in `output_dir`; returns what was removed."""
    written = re.compile(re.escape(ARCHIVE_PREFIX) + r"\d{8}T\d{6}Z(\.tar)?")
    # The names hold the time: sorted by name is sorted by age.
    archives = sorted((path for path in output_dir.iterdir() if written.fullmatch(path.name)), reverse=True)
    removed = archives[keep:]
    for path in removed:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return removed


# --- restore ---------------------------------------------------------------------------------------------------


@contextmanager
def archive_opened(path: Path) -> Iterator[Path]:
    """The archive's directory: the directory itself, or a tar file unpacked into a temporary one."""
    if path.is_dir():
        yield path
        return
    if not tarfile.is_tarfile(path):
        raise BackupError(f"{path} is neither a backup directory nor a tar file.")
    # Unpacked beside the archive: the disk that holds the archive has room for its content, /tmp may not.
    with (
        tempfile.TemporaryDirectory(prefix=".portal-restore-", dir=path.parent) as unpacked,
        tarfile.open(path) as archive,
    ):
        archive.extractall(unpacked, filter="data")  # refuses absolute names, `..` and links out of the tree
        entries = list(Path(unpacked).iterdir())
        if len(entries) != 1 or not entries[0].is_dir():
            raise BackupError(f"{path} does not hold one backup directory.")
        yield entries[0]


def manifest_verified(directory: Path) -> dict:
    """The archive's manifest, once the dump and every document match its checksums (else BackupError)."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"No readable {MANIFEST} in {directory}: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r} (this portal reads {FORMAT}).")
    problems = []
    dump = directory / manifest["database"]["file"]
    if not dump.is_file() or sha256_of(dump) != manifest["database"]["sha256"]:
        problems.append(f"the database dump {dump.name}")
    for name, entry in manifest["documents"]["files"].items():
        path = directory / DOCUMENTS / safe_member(name)
        if not path.is_file() or path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            problems.append(f"document {name}")
    if problems:
        shown = "; ".join(problems[:20]) + (f"; and {len(problems) - 20} more" if len(problems) > 20 else "")
        raise BackupError(f"The archive does not match its manifest (missing or altered): {shown}. Nothing restored.")
    return manifest


@dataclass
class RestoreResult:
    manifest: dict
    counts: dict[str, int]
    documents: int


def backup_restore(*, archive: Path, target: Target, documents_dir: Path) -> RestoreResult:
    """Restore an archive into an empty database and an empty (or absent) documents directory.

    Refuses, having written nothing, when the archive does not match its manifest or a target is not empty.
    """
    with archive_opened(archive) as directory:
        manifest = manifest_verified(directory)
        major = _target_checked_empty(target)
        _documents_dir_checked_empty(documents_dir)
        pg_restore = postgresql_tool("pg_restore", server_major=major)
        staging = documents_dir.parent / f".{documents_dir.name}.restoring-{uuid.uuid4().hex[:8]}"
        try:
            staging.mkdir(parents=True)
            for name, entry in manifest["documents"]["files"].items():
                copied = _copy_hashed(directory / DOCUMENTS / name, staging / name)
                if copied["sha256"] != entry["sha256"]:
                    raise BackupError(f"Document {name} changed while it was copied. Nothing restored.")
            _run_tool(
                [
                    pg_restore,
                    "--single-transaction",
                    "--exit-on-error",
                    "--no-owner",
                    "--no-privileges",
                    f"--dbname={target.name}",
                    str(directory / manifest["database"]["file"]),
                ],
                target=target,
                what="pg_restore (nothing was written: it runs in one transaction)",
            )
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _move_into_place(staging, documents_dir)
    connection = target.connect()
    try:
        with connection.cursor() as cursor:
            counts = table_row_counts(cursor)
    finally:
        connection.close()
    return RestoreResult(manifest=manifest, counts=counts, documents=len(manifest["documents"]["files"]))


def _target_checked_empty(target: Target) -> int:
    try:
        connection = target.connect()
    except psycopg2.OperationalError as error:
        raise BackupError(
            f"Cannot connect to the database {target.name!r}: {str(error).strip()}. Create an empty database "
            f"first (createdb --owner=<owner> {target.name})."
        ) from None
    try:
        with connection.cursor() as cursor:
            if database_objects(cursor):
                raise BackupError(
                    f"The database {target.name!r} is not empty: restore only into an empty database (drop and "
                    f"create it again, or restore into a new one and switch DATABASE_URL). Nothing was restored."
                )
            return server_major_version(cursor)
    finally:
        connection.close()


def _documents_dir_checked_empty(documents_dir: Path) -> None:
    if documents_dir.exists() and (not documents_dir.is_dir() or any(documents_dir.iterdir())):
        raise BackupError(
            f"The documents directory {documents_dir} is not empty: restore only into an empty or new directory. "
            f"Nothing was restored."
        )


def _move_into_place(staging: Path, documents_dir: Path) -> None:
    if not documents_dir.exists():
        staging.rename(documents_dir)
        return
    for entry in staging.iterdir():
        entry.rename(documents_dir / entry.name)
    staging.rmdir()
