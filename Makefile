# The two commands: `make run` (a working portal from nothing) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# One pytest-xdist worker per core; each worker gets its own test database and Redis database.
TEST_WORKERS ?= auto

.PHONY: run test lint format bench load screenshots messages install install-dev migrate worker beat clean \
	backup restore image-check

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

run: install
	$(PY) -m portal.devtools.devserver

test: install-dev
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup -q $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The catalogues (locale/<language>/LC_MESSAGES/django.po) follow the code's strings; their compiled .mo files are
# committed beside them, so neither `make run`, the test run nor the Docker build needs GNU gettext (docs/i18n.md).
messages: install
	$(PY) manage.py makemessages -l ar -l es -l fr -l ru -l zh_Hans --add-location=file \
		--ignore=.venv --ignore=tests --ignore=staticfiles --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

bench: install-dev
	$(PY) bench/run.py

# The persona mix at 20 users against gunicorn with production settings, on the bench database (bench/LOAD.md).
# Redis db 12 unless REDIS_URL says otherwise; LOAD_ARGS passes options (e.g. --run-time 60s --users 10).
load: install-dev
	$(PY) bench/load.py $(LOAD_ARGS)

screenshots: install-dev
	TEST_DATABASE_NAME=$${TEST_DATABASE_NAME:-test_portal_screenshots} $(PY) -m pytest tests/browser/screenshots.py -q -p no:xdist $(SCREENSHOTS)

# A backup of the database and the documents together (portal/operations/backup.py, README "Backups"):
# `make backup [BACKUP_DIR=backups] [BACKUP_KEEP=14]`; `make restore ARCHIVE=backups/portal-backup-<time>.tar` into an
# empty database and documents directory.
backup: install
	$(PY) manage.py backup $(if $(BACKUP_KEEP),--keep $(BACKUP_KEEP))

restore: install
	@test -n "$(ARCHIVE)" || { echo "Name the archive: make restore ARCHIVE=backups/portal-backup-<time>.tar" >&2; exit 1; }
	$(PY) manage.py restore $(ARCHIVE)

# Builds the Docker image and runs it for real against the local PostgreSQL and Redis (.ci/image_check.sh);
# needs root for Docker, not part of `make test`. BASE_IMAGE=python:3.11-slim where a registry is reachable.
image-check:
	bash .ci/image_check.sh

# Worker and beat talk to Redis: without REDIS_URL tasks run in-process and there is nothing to consume.
worker: install
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (e.g. redis://localhost:6379/0) for the worker and the portal." >&2; exit 1; }
	$(VENV)/bin/celery -A portal worker -l info

beat: install
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (e.g. redis://localhost:6379/0) for beat and the portal." >&2; exit 1; }
	@mkdir -p .run
	$(VENV)/bin/celery -A portal beat -l info --schedule .run/celerybeat-schedule

clean:
	rm -rf .pytest_cache .ruff_cache staticfiles
