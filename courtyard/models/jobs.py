"""The scheduler's lease per job: which process runs a job's due time, and how the last run went.

One row per job id. A process may run a job for a due time only after it has moved the row to
that due time (``run_key``) with a conditional UPDATE; see :mod:`courtyard.services.operations.job_lease`.
"""

from datetime import datetime

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime

JOB_OUTCOMES = ("running", "done", "failed")


class JobLease(db.Model):
    __tablename__ = "job_lease"

    job_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    run_key: Mapped[str] = mapped_column(String(40), default="")  # the due time, ISO UTC; sorts as text
    holder: Mapped[str] = mapped_column(String(120), default="")  # host:pid of the process that holds it
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # after this, another process may take over
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(20), default="done")
    result: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (db.CheckConstraint("outcome in ('running', 'done', 'failed')", name="outcome_known"),)
