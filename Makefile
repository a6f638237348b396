# The two commands: `make run` (a working portal from nothing) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# One pytest-xdist worker per core; each worker gets its own test database and Redis database.
TEST_WORKERS ?= auto

.PHONY: run test lint format bench screenshots install install-dev migrate worker beat clean

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
	$(PY) -m portal.devserver

test: install-dev
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup -q $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install-dev
	$(PY) bench/run.py

screenshots: install-dev
	$(PY) -m pytest tests/browser/screenshots.py -q -p no:xdist

worker: install
	$(VENV)/bin/celery -A portal worker -l info

beat: install
	$(VENV)/bin/celery -A portal beat -l info

clean:
	rm -rf .pytest_cache .ruff_cache staticfiles
