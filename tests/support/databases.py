"""The suite's databases: a fresh SQLite file, or its own PostgreSQL database.

``python -m tests.support.databases ensure-postgres URL`` creates the PostgreSQL database if it
is missing and exits 1 (with a message) when no server answers; the Makefile uses it to decide
whether to run the suite a second time on PostgreSQL.
"""

import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/courtyard_test"


def ensure_postgres_database(url):
    """Create the database named in ``url`` if the server has none of that name."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def reset_postgres_schema(engine):
    """Drop every table of a previous run so the migrations build the schema from nothing."""
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


def wipe_rows(db):
    """Empty every table (not alembic_version) between tests."""
    tables = [t.name for t in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE TABLE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(text(f'DELETE FROM "{table}"'))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "ensure-postgres":
        sys.exit("usage: python -m tests.support.databases ensure-postgres URL")
    try:
        ensure_postgres_database(sys.argv[2])
    except Exception as exc:  # any failure to reach the server means: skip the PostgreSQL run
        print(f"PostgreSQL not reachable at {make_url(sys.argv[2]).render_as_string()}: {exc.__class__.__name__}: "
              f"{str(exc).splitlines()[0] if str(exc) else ''}", file=sys.stderr)
        sys.exit(1)
