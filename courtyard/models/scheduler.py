"""APScheduler's job-store table, declared here so that the migrations create it, not APScheduler."""

from sqlalchemy import Column, Float, LargeBinary, Table, Unicode

from courtyard.extensions import db

scheduler_job = Table(
    "scheduler_job",
    db.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
