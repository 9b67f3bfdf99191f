"""Backups: ``flask courtyard backup`` then ``restore`` into an empty database gives back every row and every fen."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from courtyard.demo.base import build_demo, build_demo_campaigns
from courtyard.models.types import utcnow
from courtyard.services.operations.backup import row_counts
from tests.support.databases import ensure_postgres_database, reset_postgres_schema


def money_totals(url):
    """The sum of every ``*_fen`` column of every table: what a restore must bring back to the fen."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            totals = {}
            for table in inspect(conn).get_table_names():
                for column in inspect(conn).get_columns(table):
                    if column["name"].endswith("_fen"):
                        totals[f"{table}.{column['name']}"] = conn.scalar(
                            text(f'SELECT COALESCE(SUM("{column["name"]}"), 0) FROM "{table}"'))
            return totals
    finally:
        engine.dispose()


@pytest.fixture
def empty_target(database_url, tmp_path):
    """An empty database of the same kind as the suite's: a new SQLite file or a wiped PostgreSQL database."""
    if make_url(database_url).get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.db'}"
    url = make_url(database_url).set(database=make_url(database_url).database + "_restore").render_as_string(
        hide_password=False)
    ensure_postgres_database(url)
    engine = create_engine(url)
    reset_postgres_schema(engine)
    engine.dispose()
    return url


@pytest.fixture
def demo_county(app):
    with app.app_context():
        build_demo()
        build_demo_campaigns(utcnow())
    upload = Path(app.config["UPLOAD_DIR"]) / "backup-probe.jpg"
    upload.write_bytes(b"\xff\xd8\xff photo bytes")
    return upload


def test_a_restore_into_an_empty_database_brings_back_every_row_and_every_fen(app, database_url, empty_target,
                                                                              demo_county, tmp_path):
    """After backup and restore, every table has as many rows and every money column the same sum, and photos are back."""
    runner = app.test_cli_runner()
    folder = tmp_path / "backup"
    made = runner.invoke(args=["courtyard", "backup", str(folder)])
    assert made.exit_code == 0, made.output
    assert "Backup written" in made.output

    demo_county.unlink()
    restored = runner.invoke(args=["courtyard", "restore", str(folder), "--database-url", empty_target])
    assert restored.exit_code == 0, restored.output
    assert "every count matches" in restored.output

    before, after = row_counts(database_url), row_counts(empty_target)
    assert after == before
    assert before["pledge"] > 0 and before["household"] > 0
    assert money_totals(empty_target) == money_totals(database_url)
    assert demo_county.read_bytes() == b"\xff\xd8\xff photo bytes"


def test_restore_refuses_a_database_that_already_holds_rows(app, database_url, demo_county, tmp_path):
    """Restoring over live data without --replace is refused with a message, and nothing is changed."""
    runner = app.test_cli_runner()
    folder = tmp_path / "backup"
    assert runner.invoke(args=["courtyard", "backup", str(folder)]).exit_code == 0
    before = row_counts(database_url)

    refused = runner.invoke(args=["courtyard", "restore", str(folder)])
    assert refused.exit_code != 0
    assert "already holds rows" in refused.output
    assert row_counts(database_url) == before


def test_backup_refuses_a_folder_that_is_not_empty_and_restore_a_folder_that_is_no_backup(app, tmp_path):
    """Pointing either command at the wrong folder is a clear error, not a traceback."""
    runner = app.test_cli_runner()
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "file.txt").write_text("x")
    busy = runner.invoke(args=["courtyard", "backup", str(tmp_path / "busy")])
    assert busy.exit_code != 0 and "not empty" in busy.output
    (tmp_path / "nothing").mkdir()
    nothing = runner.invoke(args=["courtyard", "restore", str(tmp_path / "nothing")])
    assert nothing.exit_code != 0 and "not a Courtyard backup" in nothing.output
