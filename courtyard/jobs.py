"""The scheduler's jobs, declared once with stable ids; each is also a ``flask courtyard`` command.

``flask courtyard scheduler`` runs them with APScheduler 3 and its SQLAlchemy job store in the
app's database. Every job body is a service call that is safe to run twice, and every run first
takes the job's lease (:mod:`courtyard.services.operations.job_lease`), so that with several scheduler
processes (several hosts) each job still runs once per due time; a run that cannot take the lease
is skipped and logged.
"""

import logging
import signal
import traceback
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from courtyard.models.types import utcnow

log = logging.getLogger("courtyard.jobs")


def close_campaigns():
    from courtyard.services.campaigns.campaign_close import close_due_campaigns

    return close_due_campaigns(utcnow())


def expire_unpaid():
    from courtyard.services.pledges.pledges import expire_unpaid as expire

    return expire(utcnow())


def reconcile_payments():
    from courtyard.services.payments.card_payments import reconcile_pending

    return reconcile_pending(utcnow())


def send_mail():
    from courtyard.messages.outbox import send_pending

    return send_pending(current_app.config, utcnow())


def send_messages():
    from courtyard.messages.jobs import send_messages as send

    return send(current_app.config, utcnow())


def visit_reminders():
    from courtyard.services.visits.visit_reminders import send_reminders

    return send_reminders(utcnow())
def allocate_rounds():
    from courtyard.services.deliveries.delivery_rounds import allocate_due_rounds

    return allocate_due_rounds(utcnow())


def refresh_dashboard():
    from courtyard.services.dashboards.dashboard_summary import refresh_summary
    from courtyard.services.dashboards.public_figures import draw_public_figures

    now = utcnow()
    added = refresh_summary(now)
    draw_public_figures(now)
    return added


@dataclass(frozen=True)
class JobDefinition:
    id: str
    func: object
    minutes: int
    help: str
    lease_minutes: int = 15  # longer than any run; after this a dead holder's lease is taken over


JOBS = (
    JobDefinition("close-campaigns", close_campaigns, 5, "Close campaigns whose time is up; capture or release holds."),
    JobDefinition("expire-unpaid", expire_unpaid, 15, "Expire pledges whose transfer never came or whose card was never given."),
    JobDefinition("reconcile-payments", reconcile_payments, 5, "Complete or release card payments left pending."),
    JobDefinition("visit-reminders", visit_reminders, 10, "Remind units of their visits two days and two hours before."),
    JobDefinition("allocate-rounds", allocate_rounds, 15, "Allocate delivery rounds whose cut-off has come."),
    JobDefinition("send-mail", send_mail, 1, "Send queued mail from the outbox."),
    JobDefinition("send-messages", send_messages, 1, "Send queued text messages (SMS) within the per-number limits."),
    JobDefinition("refresh-dashboard", refresh_dashboard, 10,
                  "Add the ledger's newly recorded transactions to the county dashboard's summary."),
)


class Skipped:
    """What a run returns when another process holds the job's lease for that due time."""

    def __str__(self):
        return "skipped: another process holds the lease"


SKIPPED = Skipped()


def run_in_app(app, job, due_at=None, holder=None):
    """Run one job for ``due_at`` (default: now, a manual run) inside an app context, under its lease.

    Logs (does not raise) a failure so the scheduler lives on; returns the job's result, None after
    a failure, or :data:`SKIPPED` when another process holds the lease.
    """
    from courtyard.extensions import db
    from courtyard.services.operations import job_lease

    with app.app_context():
        started = utcnow()
        due_at = due_at or started
        holder = holder or job_lease.default_holder()
        if not job_lease.take_lease(job.id, due_at, holder, started, timedelta(minutes=job.lease_minutes)):
            log.info("job %s due %s skipped: lease held by another process", job.id, job_lease.run_key(due_at))
            return SKIPPED
        try:
            result = job.func()
        except Exception as exc:
            log.exception("job %s failed", job.id)
            db.session.rollback()
            error = "".join(traceback.format_exception_only(exc)).strip()
            job_lease.release_lease(job.id, due_at, holder, utcnow(), outcome="failed", error=error)
            return None
        finally:
            db.session.remove()
        log.info("job %s done: %s", job.id, result)
        if not job_lease.release_lease(job.id, due_at, holder, utcnow(), outcome="done", result=result):
            log.warning("job %s due %s finished after its lease passed to another process", job.id,
                        job_lease.run_key(due_at))
        return result


_scheduler_app = None


def run_job(job_id):
    """The scheduler's entry point: the job store keeps only this function's path and the job id."""
    from courtyard.services.operations.job_lease import due_time

    job = next(job for job in JOBS if job.id == job_id)
    return run_in_app(_scheduler_app, job, due_at=due_time(job.minutes, utcnow()))


def run_scheduler(app):
    """Run every job on its interval until SIGINT or SIGTERM."""
    global _scheduler_app
    _scheduler_app = app
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    from courtyard.services.operations.job_lease import ALIGN

    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=app.config["SQLALCHEMY_DATABASE_URI"], tablename="scheduler_job")},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone="UTC",
    )
    for job in JOBS:
        # Every process fires at the same aligned instants, so they agree on each run's due time.
        trigger = IntervalTrigger(minutes=job.minutes, start_date=ALIGN, timezone="UTC")
        scheduler.add_job("courtyard.jobs:run_job", trigger, args=[job.id], id=job.id, replace_existing=True)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("scheduler started with jobs: %s", ", ".join(job.id for job in JOBS))
    scheduler.start()
