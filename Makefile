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

.PHONY: run test test-at install translations fonts browser pgclient faketime bench bench-tools clean

# The suite passes on any date (issue #24). `make test` runs the date-sensitive folders a second time under a
# clock moved across a year boundary: 2027-12-31 23:30 in Asia/Shanghai, or SHIFTED_CLOCK (any `date -d` text).
# `make test-at CLOCK='2027-09-15 10:00 UTC'` runs the whole suite (SQLite) at another date.
SHIFTED_CLOCK ?= 2027-12-31 15:30:00 UTC
DATE_SENSITIVE := tests/money tests/demo/test_demo_money.py tests/dashboards tests/exports tests/calendar \
  tests/api/test_statement_api.py tests/web/test_clock_guard.py
# faketime's offset from now to a date, so that the processes the tests start see the same clock as the tests.
clock_offset = $$(o=$$(( $$(date -d '$(1)' +%s) - $$(date +%s) )); [ $$o -ge 0 ] && echo "+$$o" || echo "$$o")

run: install fonts
	$(FLASK) db upgrade
	$(FLASK) courtyard demo
	@echo ""
	@echo "Starting the web app on http://127.0.0.1:5000, the Stripe mock on 127.0.0.1:8420, the mail sink on 127.0.0.1:8025 (mail lands in instance/mail/) and the SMS sink on 127.0.0.1:8430 (texts land in instance/sms/)."
	$(VENV)/bin/honcho -f Procfile start

test: install browser pgclient faketime
	$(PY) -m pytest
	@echo "== The date-sensitive tests again with the clock at $(SHIFTED_CLOCK)"
	faketime -f "$(call clock_offset,$(SHIFTED_CLOCK))" $(PY) -m pytest -q $(DATE_SENSITIVE)
	@if $(PY) -m tests.support.databases ensure-postgres "$(POSTGRES_URL)"; then \
	  echo "== The whole suite again on PostgreSQL ($(POSTGRES_URL))"; \
	  COURTYARD_TEST_DATABASE_URL="$(POSTGRES_URL)" $(PY) -m pytest; \
	else \
	  echo "== SKIPPED the PostgreSQL run: no PostgreSQL answered at $(POSTGRES_URL)"; \
	fi

# Two tests start processes that libfaketime stops (the lease test's second one hangs in SQLite's lock wait, the
# breaker test's redis-server does not start): no date is at stake in either.
test-at: install browser pgclient faketime
	faketime -f "$(call clock_offset,$(CLOCK))" $(PY) -m pytest \
	  --deselect tests/operations/test_job_lease.py::test_two_processes_for_the_same_due_time_run_the_job_once \
	  --deselect tests/payments/test_circuit_breaker.py::test_breaker_on_redis_opens_refuses_half_opens_and_closes

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

# faketime runs tests under a clock moved to another date (see SHIFTED_CLOCK).
faketime:
	@command -v faketime >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q faketime; }

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
