"""Each scheduled job runs once per due time, however many scheduler processes are running.

A job that fires every N minutes is *due* at the multiples of N minutes since :data:`ALIGN`; the
scheduler's interval triggers start from the same instant, so every process computes the same due
time for one firing. Before running a job for a due time, a process takes the job's lease: one row
of ``job_lease`` per job id, moved to the new due time by a conditional UPDATE that only one
process can win (SQLite serialises writers; PostgreSQL re-checks the WHERE clause of a row another
transaction just changed). The lease may be taken when

* the row is at an earlier due time and its run finished or its holder's lease expired, or
* the row is at this due time, unfinished, and expired: the holder died mid-run; take it over.

The lease statements run on their own connections and commit at once, independent of the job's
session. The same row keeps the last run's start, finish, outcome, result and error for the
county's jobs page.
"""

import logging
import os
import socket
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from courtyard.extensions import db
from courtyard.models import JobLease

log = logging.getLogger("courtyard.jobs")

ALIGN = datetime(2000, 1, 1, tzinfo=timezone.utc)  # interval jobs fire at multiples of their interval since then
TEXT_LIMIT = 2000


def default_holder():
    """This process, as host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def due_time(minutes, now):
    """The due time an every-``minutes`` job fired at ``now`` belongs to: the last aligned multiple."""
    step = timedelta(minutes=minutes)
    return ALIGN + ((now - ALIGN) // step) * step


def run_key(due_at):
    """A due time as text that sorts like time (ISO UTC with microseconds)."""
    return due_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _ensure_row(conn, job_id):
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(dialect_insert(JobLease.__table__).values(
        job_id=job_id, run_key="", holder="", expires_at=ALIGN, finished=True, outcome="done", result="", error="",
    ).on_conflict_do_nothing(index_elements=["job_id"]))


def take_lease(job_id, due_at, holder, now, ttl):
    """Try to take ``job_id``'s lease for ``due_at`` until ``now + ttl``; True when this caller won it."""
    key, table = run_key(due_at), JobLease.__table__
    with db.engine.begin() as conn:
        _ensure_row(conn, job_id)
    expired = table.c.expires_at <= now
    with db.engine.begin() as conn:
        taken = conn.execute(update(table).where(
            table.c.job_id == job_id,
            or_(and_(table.c.run_key < key, or_(table.c.finished.is_(True), expired)),
                and_(table.c.run_key == key, table.c.finished.is_(False), expired)),
        ).values(run_key=key, holder=holder, expires_at=now + ttl, finished=False, started_at=now, finished_at=None,
                 outcome="running", result="", error=""))
        return taken.rowcount == 1


def release_lease(job_id, due_at, holder, now, *, outcome, result="", error=""):
    """Record how the run ended; False when the lease had meanwhile passed to another process."""
    table = JobLease.__table__
    with db.engine.begin() as conn:
        released = conn.execute(update(table).where(
            table.c.job_id == job_id, table.c.run_key == run_key(due_at), table.c.holder == holder,
        ).values(finished=True, finished_at=now, expires_at=now, outcome=outcome,
                 result=str(result)[:TEXT_LIMIT], error=str(error)[:TEXT_LIMIT]))
        return released.rowcount == 1


def leases():
    """Every job's lease row by job id, for the jobs page."""
    return {row.job_id: row for row in db.session.scalars(select(JobLease))}
