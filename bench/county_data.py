"""The county-sized dataset on PostgreSQL for the web and dashboard benchmarks, built once and reused.

``county_database(url, environment)`` builds a fresh database from the migrations and runs
``flask courtyard demo --scale county`` into it, unless it already holds the county-sized data
(``--rebuild`` in the benchmarks forces a fresh one).
"""

from __future__ import annotations

import os
import subprocess
import time

from sqlalchemy import create_engine, text

from bench.stack import ROOT, VENV_BIN, fresh_database

DEFAULT_COUNTY_DATABASE = os.environ.get("COURTYARD_BENCH_COUNTY_DATABASE_URL",
                                         "postgresql+psycopg://postgres@127.0.0.1:5432/courtyard_bench_county")


def has_county(database_url):
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT 1 FROM township WHERE name = '规模镇01'")).first() is not None
    except Exception:  # no database or no schema yet
        return False
    finally:
        engine.dispose()


def county_database(database_url, environment, rebuild=False):
    """Make sure ``database_url`` holds the county-sized demo at the newest schema, with the dashboard's summary
    refreshed; returns the seconds spent building (0 if reused)."""
    started, built = time.monotonic(), False
    if rebuild or not has_county(database_url):
        fresh_database(database_url, environment)
        subprocess.run([str(VENV_BIN / "flask"), "--app", "courtyard", "courtyard", "demo", "--scale", "county"],
                       cwd=ROOT, check=True, env={**os.environ, **environment}, stdout=subprocess.DEVNULL)
        built = True
    else:
        subprocess.run([str(VENV_BIN / "flask"), "--app", "courtyard", "db", "upgrade"], cwd=ROOT, check=True,
                       env={**os.environ, **environment}, capture_output=True)
    subprocess.run([str(VENV_BIN / "python"), "-c", REFRESH], cwd=ROOT, check=True, env={**os.environ, **environment})
    return time.monotonic() - started if built else 0.0


# Nothing else writes to the bench database, so the summary may take everything written up to now
# (the job itself stays LAG behind, for writes still in flight).
# ANALYZE as autovacuum would shortly after: the planner needs the summary's size at once.
REFRESH = """
from sqlalchemy import text
from courtyard import create_app
from courtyard.extensions import db
from courtyard.models.types import utcnow
from courtyard.services.dashboards.dashboard_summary import LAG, refresh_summary
with create_app().app_context():
    refresh_summary(utcnow() + LAG)
    db.session.execute(text("ANALYZE dashboard_earning"))
    db.session.execute(text("ANALYZE dashboard_money"))
    db.session.commit()
"""
