"""Fixtures for the whole suite: one app per run on SQLite or PostgreSQL, schema from the migrations.

``COURTYARD_TEST_DATABASE_URL`` chooses PostgreSQL (the Makefile's second run); otherwise a fresh
SQLite file. Every test starts from empty tables.
"""

import os
import sys

import pytest
from flask_migrate import upgrade
from hypothesis import settings

from courtyard import create_app
from courtyard.config import TestConfig
from courtyard.extensions import db
from tests.support.clock_guard import FutureSessionGuard
from tests.support.databases import ensure_postgres_database, reset_postgres_schema, wipe_rows
from tests.support.factories import Factory

pytest_plugins = ["tests.support.browser_fixtures", "tests.support.ladder_fixtures", "tests.support.pledge_fixtures",
                  "tests.support.stripe_fixtures", "tests.support.sms_fixtures"]

# In CI the property tests draw the same examples every run, so a run that passed here passes there.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("COURTYARD_TEST_DATABASE_URL")
    if url:
        ensure_postgres_database(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'courtyard-test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The application, migrated once for the session."""
    config = type("SuiteConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
    })
    app = create_app(config)
    app.session_interface = FutureSessionGuard()
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            reset_postgres_schema(db.engine)
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Tests that use the app start and end with empty tables."""
    yield
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        with app.app_context():
            db.session.remove()
            wipe_rows(db)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app):
    return Factory(app)


@pytest.fixture
def csrf_on(app):
    """Turn CSRF protection on, as in production, for one test."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def pytest_sessionfinish(session, exitstatus):
    session.config.courtyard_exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Under Debian's faketime (make test's shifted-clock run) end the process as soon as pytest is done.

    libfaketime 0.9.10 moves the monotonic clock but not the semaphore waits Python's timed locks use, so a
    0.01 s wait of a non-daemon timer thread (the rate limiter's memory storage) lasts as long as the shift
    and the interpreter would wait for it at exit. The results are printed by then.
    """
    if "FAKETIME" in os.environ and hasattr(config, "courtyard_exit_status"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(config.courtyard_exit_status)
