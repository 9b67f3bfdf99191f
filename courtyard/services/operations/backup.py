"""Backups: the whole database and the uploaded photos into one folder, and back.

A backup folder holds ``database.sqlite3`` (SQLite's online backup API, safe while the app runs) or
``database.pgdump`` (``pg_dump --format=custom``), ``uploads.tar.gz`` and ``manifest.json`` with the
row count of every table and the schema revision. :func:`restore` refuses a database that already
holds rows unless told to replace it, then checks the restored row counts against the manifest.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from courtyard.errors import DomainError

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
UPLOADS_FILE = "uploads.tar.gz"
SKIPPED_TABLES = {"alembic_version"}


@dataclass(frozen=True)
class RestoreCheck:
    table: str
    expected: int
    found: int

    @property
    def ok(self):
        return self.expected == self.found


def row_counts(url):
    """``{table: rows}`` for every table of the database at ``url``."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = sorted(set(inspect(conn).get_table_names()) - SKIPPED_TABLES)
            return {name: conn.scalar(text(f'SELECT COUNT(*) FROM "{name}"')) for name in names}
    finally:
        engine.dispose()


def schema_revision(url):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if "alembic_version" not in inspect(conn).get_table_names():
                return None
            return conn.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        engine.dispose()


def backup(url, folder, upload_dir, now, progress=None):
    """Write a backup of the database at ``url`` and of ``upload_dir`` into the new ``folder``."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise DomainError(f"{folder} already exists and is not empty; choose a new folder.")
    folder.mkdir(parents=True, exist_ok=True)
    dialect = make_url(url).get_backend_name()
    if dialect == "sqlite":
        _sqlite_copy(make_url(url).database, folder / SQLITE_FILE, progress)
    elif dialect == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={folder / PG_FILE}", _libpq(url)])
    else:
        raise DomainError(f"Backups of {dialect} databases are not supported.")
    with tarfile.open(folder / UPLOADS_FILE, "w:gz") as archive:
        if upload_dir and Path(upload_dir).is_dir():
            archive.add(upload_dir, arcname="uploads")
    manifest = {"created_at": now.isoformat(), "dialect": dialect, "revision": schema_revision(url),
                "tables": row_counts(url)}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return manifest


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise DomainError(f"{folder} is not a Courtyard backup: it has no {MANIFEST}.")
    return json.loads(path.read_text(encoding="utf-8"))


def restore(folder, url, upload_dir, *, replace=False, progress=None):
    """Restore the backup in ``folder`` into the database at ``url``; returns one check per table."""
    folder, manifest = Path(folder), read_manifest(folder)
    dialect = make_url(url).get_backend_name()
    if dialect != manifest["dialect"]:
        raise DomainError(f"This backup is of a {manifest['dialect']} database; it cannot be restored into {dialect}.")
    holding = {table: rows for table, rows in row_counts(url).items() if rows}
    if holding and not replace:
        raise DomainError(f"The target database already holds rows ({', '.join(sorted(holding))}); "
                          "restore into an empty database, or pass --replace to overwrite it.")
    if dialect == "sqlite":
        _sqlite_copy(folder / SQLITE_FILE, make_url(url).database, progress)
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq(url)}", str(folder / PG_FILE)])
    if upload_dir:
        _restore_uploads(folder / UPLOADS_FILE, Path(upload_dir))
    found = row_counts(url)
    return [RestoreCheck(table, expected, found.get(table, 0)) for table, expected in sorted(manifest["tables"].items())]


def _sqlite_copy(source_path, target_path, progress):
    """Copy page by page with SQLite's online backup API, reporting (remaining, total) pages."""
    source, target = sqlite3.connect(str(source_path)), sqlite3.connect(str(target_path))
    try:
        def report(_status, remaining, total):
            if progress:
                progress(total - remaining, total)

        source.backup(target, pages=256, progress=report)
    finally:
        target.close()
        source.close()


def _restore_uploads(archive_path, upload_dir):
    upload_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive.getmembers():
            if not member.isfile() or not member.name.startswith("uploads/"):
                continue
            target = upload_dir / Path(member.name).relative_to("uploads")
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)


def _libpq(url):
    """A SQLAlchemy URL as the plain ``postgresql://`` URL that pg_dump and pg_restore take."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command):
    if shutil.which(command[0]) is None:
        raise DomainError(f"{command[0]} is not installed; install the PostgreSQL client (postgresql-client).")
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
    if done.returncode != 0:
        raise DomainError(f"{command[0]} failed: {done.stderr.strip()[:500]}")
