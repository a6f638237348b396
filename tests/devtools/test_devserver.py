"""`make run` picks its database: DATABASE_URL, else a local server, else an embedded PostgreSQL."""

import shutil
import tempfile
from pathlib import Path

import environ
import psycopg2
import pytest

from portal.devtools import devserver
from portal.devtools.devserver import DatabaseSource, database_source, two_factor_notice


def _never_asked() -> bool:
    raise AssertionError("the local server should not be probed")


@pytest.mark.parametrize(
    ("environ_", "local_answers", "expected"),
    [
        ({"DATABASE_URL": "postgres://u@db.example.org/portal"}, _never_asked, DatabaseSource.ENVIRONMENT),
        (
            {"DATABASE_URL": "postgres://u@db.example.org/portal", "PG_FORCE_EMBEDDED": "1"},
            _never_asked,
            DatabaseSource.ENVIRONMENT,
        ),
        ({}, lambda: True, DatabaseSource.LOCAL_SERVER),
        ({}, lambda: False, DatabaseSource.EMBEDDED),
        ({"DATABASE_URL": ""}, lambda: True, DatabaseSource.LOCAL_SERVER),
        ({"PG_FORCE_EMBEDDED": "1"}, _never_asked, DatabaseSource.EMBEDDED),
        ({"PG_FORCE_EMBEDDED": "true"}, _never_asked, DatabaseSource.EMBEDDED),
        ({"PG_FORCE_EMBEDDED": "0"}, lambda: True, DatabaseSource.LOCAL_SERVER),
    ],
)
def test_database_source(environ_, local_answers, expected):
    assert database_source(environ_, local_server_answers=local_answers) is expected


def test_a_database_url_is_used_as_given():
    url = "postgres://someone@db.example.org:5433/elsewhere"
    assert devserver.prepare_database({"DATABASE_URL": url}) == (DatabaseSource.ENVIRONMENT, url)


def test_an_unreachable_local_server_does_not_answer(monkeypatch):
    monkeypatch.setattr(devserver, "LOCAL_SERVER", {"host": "127.0.0.1", "port": 1, "user": "postgres"})
    assert devserver.local_server_answers(timeout_seconds=1) is False


@pytest.fixture
def scratch_dir():
    # Not pytest's tmp_path: when run as root the server runs as another user that must traverse every parent, and
    # pytest keeps its base directory private (0700), resetting it whenever a pytest session starts.
    path = Path(tempfile.mkdtemp(prefix="portal-embedded-pg-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_the_embedded_postgresql_starts_and_serves_the_portal_database(scratch_dir):
    # given: a data directory that does not exist yet (the first `make run` on a machine with no server)
    pgdata = scratch_dir / "pgdata"
    # when
    server, url = devserver.start_embedded_postgres(pgdata, cleanup_mode="delete")
    try:
        # then: the URL is one Django's settings accept, and it leads to a PostgreSQL `portal` database
        config = environ.Env.db_url_config(url)
        assert config["ENGINE"] == "django.db.backends.postgresql"
        assert config["NAME"] == "portal"
        connection = psycopg2.connect(dbname=config["NAME"], user=config["USER"], **config.get("OPTIONS", {}))
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_database(), current_setting('server_version_num')::int")
                name, version = cursor.fetchone()
        finally:
            connection.close()
        assert name == "portal"
        assert version >= 150000
        # and creating the database again is a no-op
        info = server.get_postmaster_info()
        assert (
            devserver.ensure_database(name="portal", host=str(info.socket_dir), port=info.port, user="postgres")
            is False
        )
    finally:
        server.cleanup()
    assert not pgdata.exists()


def test_make_run_says_whether_two_factor_sign_in_is_required():
    assert "Two-factor sign-in is off" in two_factor_notice("off")
    assert "PORTAL_2FA_REQUIRED=privileged" in two_factor_notice("privileged")
