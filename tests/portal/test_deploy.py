"""The production deployment: docker-compose.yml, the one Dockerfile, and secrets kept out of both."""

import json
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE", re.IGNORECASE)
# A URL carrying a password: scheme://user:password@host
CREDENTIALS_IN_URL = re.compile(r"://[^/\s:@]+:[^/\s@]+@")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _strings(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif node is not None:
        yield str(node)


def _environment(service: dict) -> dict:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.partition("=")[::2] for item in environment)
    return environment


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_the_five_services_are_there(services):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis")


def test_web_worker_and_beat_run_one_image_built_from_one_dockerfile(services):
    builds = {repr(services[name]["build"]) for name in APP_SERVICES}
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(builds) == 1
    assert len(images) == 1
    build = services["web"]["build"]
    context = BASE_DIR / (build["context"] if isinstance(build, dict) else build)
    dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    assert (context / dockerfile).is_file()


def test_each_app_service_runs_its_own_process(services):
    assert "gunicorn portal.wsgi" in _command(services["web"])
    assert re.search(r"celery -A portal worker\b", _command(services["worker"]))
    assert re.search(r"celery -A portal beat\b", _command(services["beat"]))


@pytest.mark.parametrize("name", ["postgres", "redis", *APP_SERVICES])
def test_every_service_has_a_health_check(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert not healthcheck.get("disable")
    assert healthcheck["test"] and healthcheck["test"] != ["NONE"]


def test_web_and_worker_health_checks_use_the_portals_own_probes(services):
    # The web node's /health/ (database, migrations, broker, storage); the worker's heartbeat, no `celery inspect`.
    assert "/health/" in " ".join(services["web"]["healthcheck"]["test"])
    worker = " ".join(services["worker"]["healthcheck"]["test"])
    assert "manage.py worker_heartbeat --worker celery@$HOSTNAME" in worker.replace("$$", "$")
    assert "inspect" not in worker


def test_secrets_come_from_the_env_file_never_inline(compose, services):
    for name in ("postgres", *APP_SERVICES):
        env_files = services[name].get("env_file")
        env_files = [env_files] if isinstance(env_files, str) else env_files
        assert ".env.production" in env_files, f"{name} does not read .env.production"
    for name, service in services.items():
        for key, value in _environment(service).items():
            inline = value not in (None, "") and not str(value).startswith("${")
            assert not (SECRET_NAME.search(key) and inline), f"{name}: {key} is set inline"
    leaked = [text for text in _strings(compose) if CREDENTIALS_IN_URL.search(text)]
    assert leaked == []


def test_the_env_file_is_documented_and_never_committed():
    example = (BASE_DIR / ".env.production.example").read_text()
    names = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "POSTGRES_PASSWORD", "EMAIL_URL"} <= names
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env.production"], cwd=BASE_DIR, check=False)
    assert ignored.returncode == 0, ".env.production must be git-ignored"


def _documented_environment() -> dict[str, str]:
    """.env.production.example's variables, the key made as its comment says."""
    example = (BASE_DIR / ".env.production.example").read_text()
    environment = dict(re.findall(r"^([A-Z_]+)=(.*)$", example, flags=re.MULTILINE))
    return {**environment, "SECRET_KEY": secrets.token_urlsafe(50)}


@pytest.mark.django_db
def test_check_deploy_finds_nothing_in_the_documented_https_environment():
    # The API schema's check reads the database: the test database stands in for the `postgres` service.
    database = connection.settings_dict
    host, port = database["HOST"] or "localhost", database["PORT"] or 5432
    url = f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        **_documented_environment(),
        "DATABASE_URL": url,
        "MIGRATION_DATABASE_URL": url,
    }

    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_the_serving_processes_run_as_the_app_role_after_migrations_as_the_owner(services):
    web = _command(services["web"])
    assert web.index("manage.py migrate") < web.index("manage.py provision_db_roles") < web.index("gunicorn")
    for name in APP_SERVICES:
        assert "env -u MIGRATION_DATABASE_URL" in _command(services[name]), f"{name} keeps the owner's URL"
    documented = _documented_environment()
    owner = urlsplit(documented["MIGRATION_DATABASE_URL"]).username
    assert owner == documented["POSTGRES_USER"] != urlsplit(documented["DATABASE_URL"]).username


def test_data_lives_in_named_volumes(compose, services):
    volumes = set(compose.get("volumes") or {})
    assert {"pgdata", "documents"} <= volumes
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    for name in ("web", "worker"):
        assert any(mount.startswith("documents:") for mount in services[name]["volumes"])


def test_the_image_runs_as_a_non_root_user_on_python_311_slim_by_default():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    # The base is a build argument (make image-check builds on a local Debian base), python:3.11-slim by default.
    assert re.search(r"^ARG BASE_IMAGE=python:3\.11-slim\b", dockerfile, flags=re.MULTILINE)
    assert re.search(r"^FROM \$\{BASE_IMAGE\}$", dockerfile, flags=re.MULTILINE)
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert "collectstatic" in dockerfile
    assert not CREDENTIALS_IN_URL.search(dockerfile)


def test_the_image_collectstatic_step_succeeds_with_production_settings(tmp_path):
    # The Dockerfile's build step with the same build-time dummy values, into a scratch STATIC_ROOT. Production
    # stores static files with whitenoise's compressed manifest; the manifest part (every url() and sourceMappingURL
    # must resolve) is what breaks a build, so it runs here without the slow compression.
    script = (
        "import django, json; from django.conf import settings; django.setup(); "
        "backend = settings.STORAGES['staticfiles']['BACKEND']; "
        f"settings.STATIC_ROOT = {str(tmp_path / 'static')!r}; "
        "settings.STORAGES = {**settings.STORAGES, 'staticfiles': "
        "{'BACKEND': 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}; "
        "from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0); "
        "print(json.dumps(backend))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "build-time-only",
        "ALLOWED_HOSTS": "build.invalid",
        "EMAIL_URL": "dummymail://",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert (tmp_path / "static" / "staticfiles.json").is_file()
