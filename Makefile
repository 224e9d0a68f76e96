# The two commands: `make run` (set up and start everything) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Development defaults: SQLite and the filesystem Celery broker under var/, DEBUG on.
export DEBUG ?= 1

.PHONY: run setup install install-dev migrate data static translations test lint format messages bench clean

run: setup
	./scripts/run.sh

setup: install migrate translations data static

$(PY):
	$(PYTHON) -m venv $(VENV)

# psycopg2 is built from source now; a virtualenv made before still has the -binary wheel, which shares its
# files: remove both, and the install below builds psycopg2 (needs libpq-dev, gcc, python3-dev).
DROP_BINARY_DRIVER = if $(PIP) show --quiet psycopg2-binary >/dev/null 2>&1; then \
	$(PIP) uninstall --yes --quiet psycopg2-binary psycopg2; fi

$(VENV)/.installed: requirements.txt | $(PY)
	$(DROP_BINARY_DRIVER)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements-bench.txt requirements.txt | $(PY)
	$(DROP_BINARY_DRIVER)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

translations: install
	$(PY) manage.py compiletranslations

data: migrate
	$(PY) manage.py import_opd opd/data/opd_kabupaten_mojokerto.csv
	$(PY) manage.py seed_demo

static: install
	$(PY) manage.py collectstatic --noinput --verbosity 0

test: install-dev translations
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh locale/id/LC_MESSAGES/django.po from the source strings (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages --locale id --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --no-obsolete

# Benchmarks outside the test suite: the deadline-rush load at M and L, ~30-40 min; BENCH_QUICK=1 for a
# smoke run of a few minutes (knobs in bench/run.py and the README).
$(VENV)/.installed-bench: requirements-bench.txt requirements.txt | $(PY)
	$(DROP_BINARY_DRIVER)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

bench: $(VENV)/.installed-bench translations
	$(PY) -m bench

clean:
	rm -rf var .pytest_cache
