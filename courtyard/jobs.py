"""The scheduler's jobs, declared once with stable ids; each is also a ``flask courtyard`` command.

``flask courtyard scheduler`` runs them in one process with APScheduler 3 and its SQLAlchemy job
store in the app's database. Every job body is a service call that is safe to run twice.
"""

import logging
import signal
from dataclasses import dataclass

from flask import current_app

from courtyard.models.types import utcnow

log = logging.getLogger("courtyard.jobs")


def close_campaigns():
    from courtyard.services.campaign_close import close_due_campaigns

    return close_due_campaigns(utcnow())


def expire_unpaid():
    from courtyard.services.pledges import expire_unpaid as expire

    return expire(utcnow())


def reconcile_payments():
    from courtyard.services.card_payments import reconcile_pending

    return reconcile_pending(utcnow())


def send_mail():
    from courtyard.services.outbox import send_pending

    return send_pending(current_app.config, utcnow())


def allocate_rounds():
    from courtyard.services.delivery_rounds import allocate_due_rounds

    return allocate_due_rounds(utcnow())


@dataclass(frozen=True)
class JobDefinition:
    id: str
    func: object
    minutes: int
    help: str


JOBS = (
    JobDefinition("close-campaigns", close_campaigns, 5, "Close campaigns whose time is up; capture or release holds."),
    JobDefinition("expire-unpaid", expire_unpaid, 15, "Expire pledges whose transfer never came or whose card was never given."),
    JobDefinition("reconcile-payments", reconcile_payments, 5, "Complete or release card payments left pending."),
    JobDefinition("allocate-rounds", allocate_rounds, 15, "Allocate delivery rounds whose cut-off has come."),
    JobDefinition("send-mail", send_mail, 1, "Send queued mail from the outbox."),
)


def run_in_app(app, job):
    """Run one job inside an app context, logging (not raising) its failure so the scheduler lives on."""
    with app.app_context():
        try:
            result = job.func()
            log.info("job %s done: %s", job.id, result)
            return result
        except Exception:
            log.exception("job %s failed", job.id)
            from courtyard.extensions import db

            db.session.rollback()
        finally:
            from courtyard.extensions import db

            db.session.remove()


_scheduler_app = None


def run_job(job_id):
    """The scheduler's entry point: the job store keeps only this function's path and the job id."""
    job = next(job for job in JOBS if job.id == job_id)
    return run_in_app(_scheduler_app, job)


def run_scheduler(app):
    """Run every job on its interval until SIGINT or SIGTERM."""
    global _scheduler_app
    _scheduler_app = app
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=app.config["SQLALCHEMY_DATABASE_URI"], tablename="scheduler_job")},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone="UTC",
    )
    for job in JOBS:
        scheduler.add_job("courtyard.jobs:run_job", "interval", minutes=job.minutes, args=[job.id], id=job.id,
                          replace_existing=True, next_run_time=utcnow())
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("scheduler started with jobs: %s", ", ".join(job.id for job in JOBS))
    scheduler.start()
