# Courtyard: `make run` (the demo on http://127.0.0.1:5000) and `make test` (the whole suite).
# Both work on a fresh machine: they create .venv, install pinned packages and the Debian packages
# they need (chromium for the browser tests, a CJK font for Chinese PDFs and screenshots), and migrate.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app courtyard
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
POSTGRES_URL ?= $(or $(COURTYARD_TEST_POSTGRES_URL),postgresql+psycopg://postgres@127.0.0.1:5432/courtyard_test)
CATALOG := courtyard/translations/zh_Hans/LC_MESSAGES/messages
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install translations fonts browser pgclient bench bench-tools clean

run: install fonts
	$(FLASK) db upgrade
	$(FLASK) courtyard demo
	@echo ""
	@echo "Starting the web app on http://127.0.0.1:5000, the Stripe mock on 127.0.0.1:8420 and the mail sink on 127.0.0.1:8025 (mail lands in instance/mail/)."
	$(VENV)/bin/honcho -f Procfile start

test: install browser pgclient
	$(PY) -m pytest
	@if $(PY) -m tests.support.databases ensure-postgres "$(POSTGRES_URL)"; then \
	  echo "== The whole suite again on PostgreSQL ($(POSTGRES_URL))"; \
	  COURTYARD_TEST_DATABASE_URL="$(POSTGRES_URL)" $(PY) -m pytest; \
	else \
	  echo "== SKIPPED the PostgreSQL run: no PostgreSQL answered at $(POSTGRES_URL)"; \
	fi

install: $(VENV)/.installed $(CATALOG).mo

$(VENV)/.installed: requirements/base.txt requirements/dev.txt requirements/lock.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements/dev.txt -c requirements/lock.txt
	touch $@

$(CATALOG).mo: $(CATALOG).po $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -d courtyard/translations

# After adding or changing a string: refresh the catalog, then translate the new entries.
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o courtyard/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -i courtyard/translations/messages.pot -d courtyard/translations -w 120 --no-fuzzy-matching

fonts:
	@dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-wqy-microhei; }

browser: fonts
	@[ -x /usr/bin/chromium ] || \
	  { $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# pg_dump and pg_restore for `flask courtyard backup` / `restore` on PostgreSQL.
pgclient:
	@command -v pg_dump >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client; }

# wrk (Debian) loads the pages in bench/web.py.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }

# The benchmarks (not part of `make test`): they need PostgreSQL on 127.0.0.1:5432 and write docs/benchmarks.md.
# The county-sized data is built once into COURTYARD_BENCH_COUNTY_DATABASE_URL and reused; bench/pages.py
# also builds the small demo (COURTYARD_BENCH_SMALL_DATABASE_URL) and both on SQLite (instance/bench/).
bench: install bench-tools pgclient
	$(PY) bench/dashboard.py
	$(PY) bench/web.py
	$(PY) bench/exports.py
	$(PY) bench/pages.py

clean:
	rm -rf $(VENV) tests/artifacts .pytest_cache
