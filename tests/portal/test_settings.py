"""Settings guards: production refuses to start without its secrets, DEBUG is opt-in, PostgreSQL is the only engine."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import load_command_class

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_SECRETS = {
    "SECRET_KEY": "a-production-secret",
    "ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_URL": "smtp+tls://mailer:a-mail-password@smtp.example.org:587",
}


def _import_settings(module: str, environ: dict[str, str], *, show: str = "") -> subprocess.CompletedProcess:
    """Import a settings module in a fresh interpreter whose environment holds only `environ`."""
    # Explicitly empty values, not absent ones: a developer's `.env` never overrides what the process sets.
    controlled = {
        "SECRET_KEY": "",
        "ALLOWED_HOSTS": "",
        "EMAIL_URL": "",
        "DEBUG": "",
        "DATABASE_URL": "",
        "MIGRATION_DATABASE_URL": "",
        **environ,
    }
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **controlled}
    script = f"import {module} as s; print(json.dumps({show or 'None'}))"
    return subprocess.run(
        [sys.executable, "-c", f"import json; {script}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL"])
def test_production_refuses_to_start_without(missing):
    # given
    environ = {name: value for name, value in PRODUCTION_SECRETS.items() if name != missing}
    # when
    done = _import_settings("portal.settings.production", environ)
    # then
    assert done.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in done.stderr
    assert f"{missing} must be set in production." in done.stderr


def test_production_starts_with_its_secrets_and_debug_off():
    done = _import_settings(
        "portal.settings.production",
        {**PRODUCTION_SECRETS, "ALLOWED_HOSTS": "portal.example.org, api.example.org"},
        show="[s.DEBUG, s.SECRET_KEY, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE]",
    )
    assert done.returncode == 0, done.stderr
    debug, secret_key, allowed_hosts, session_secure, csrf_secure = json.loads(done.stdout)
    assert debug is False
    assert secret_key == "a-production-secret"
    assert allowed_hosts == ["portal.example.org", "api.example.org"]
    assert session_secure is True
    assert csrf_secure is True


def test_production_sends_mail_through_the_transport_it_names():
    done = _import_settings(
        "portal.settings.production", PRODUCTION_SECRETS, show="[s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_USE_TLS]"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.org", True]


@pytest.mark.parametrize(
    ("module", "environ", "expected"),
    [
        ("portal.settings.base", {}, 0),
        ("portal.settings.production", {}, 60),
        ("portal.settings.production", {"CONN_MAX_AGE": "300"}, 300),
        ("portal.settings.base", {"CONN_MAX_AGE": "30"}, 30),
    ],
)
def test_conn_max_age_reaches_the_application_connection(module, environ, expected):
    done = _import_settings(module, {**PRODUCTION_SECRETS, **environ}, show="s.DATABASES['default']['CONN_MAX_AGE']")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected


def test_one_database_url_serves_the_portal_and_its_migrations():
    done = _import_settings(
        "portal.settings.production",
        {**PRODUCTION_SECRETS, "DATABASE_URL": "postgres://owner:pw@db.example.org:5432/portal"},
        show="[[d['USER'], d['HOST'], d['NAME']] for d in (s.DATABASES['default'], s.DATABASES['migration'])]",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [["owner", "db.example.org", "portal"]] * 2


def test_migrations_connect_as_the_owner_the_portal_as_its_own_role():
    done = _import_settings(
        "portal.settings.production",
        {
            **PRODUCTION_SECRETS,
            "DATABASE_URL": "postgres://portal_app:pw@db.example.org:5432/portal",
            "MIGRATION_DATABASE_URL": "postgres://portal:pw@db.example.org:5432/portal",
        },
        show="[s.DATABASES['default']['USER'], s.DATABASES['migration']['USER'], s.DATABASES['migration']['NAME']]",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["portal_app", "portal", "portal"]


def test_the_migrate_command_runs_as_the_owner_unless_told_otherwise():
    parser = load_command_class("portal.security", "migrate").create_parser("manage.py", "migrate")
    assert parser.parse_args([]).database == "migration"
    assert parser.parse_args(["--database", "default"]).database == "default"


@pytest.mark.parametrize(("environ", "expected"), [({}, 8 * 60 * 60), ({"SESSION_IDLE_SECONDS": "900"}, 900)])
def test_the_session_idle_timeout_comes_from_the_environment(environ, expected):
    done = _import_settings(
        "portal.settings.production",
        {**PRODUCTION_SECRETS, **environ},
        show="[s.SESSION_COOKIE_AGE, s.SESSION_INDEX_REFRESH_SECONDS]",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [expected, 300]


@pytest.mark.parametrize("module", ["portal.settings.base", "portal.settings.production"])
@pytest.mark.parametrize(("value", "expected"), [("", False), ("0", False), ("1", True)])
def test_debug_is_off_unless_set(module, value, expected):
    done = _import_settings(module, {**PRODUCTION_SECRETS, "DEBUG": value}, show="s.DEBUG")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) is expected


def test_debug_is_off_when_the_variable_is_absent():
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **PRODUCTION_SECRETS}
    done = subprocess.run(
        [sys.executable, "-c", "import portal.settings.production as s; print(s.DEBUG)"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    if not (BASE_DIR / ".env").exists():  # a developer's own .env may switch DEBUG on for their machine
        assert done.stdout.strip() == "False"


def test_every_settings_module_uses_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    for module in ("portal.settings.base", "portal.settings.production"):
        done = _import_settings(module, PRODUCTION_SECRETS, show="s.DATABASES['default']['ENGINE']")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == "django.db.backends.postgresql"


def test_no_sqlite_anywhere_in_the_project():
    # Every file git knows or would add (so .venv, .run and other ignored paths are out), tests excepted.
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=BASE_DIR,
        capture_output=True,
        check=True,
    ).stdout.decode()
    offenders = []
    for name in filter(None, listed.split("\0")):
        path = BASE_DIR / name
        if name.startswith("tests/") or not path.is_file():
            continue
        if b"sqlite" in path.read_bytes().lower():
            offenders.append(name)
    assert offenders == []
