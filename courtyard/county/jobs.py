"""The county's view of the scheduled jobs: how each one's last run went, and the payment server's breaker."""

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l

from courtyard.county import bp
from courtyard.jobs import JOBS
from courtyard.models.types import utcnow
from courtyard.services.identity.login_guard import failure_spike
from courtyard.services.operations.job_lease import leases
from courtyard.services.payments.payment_guard import breaker_panel

JOB_PURPOSES = {
    "close-campaigns": _l("Close campaigns whose time is up"),
    "expire-unpaid": _l("Expire pledges that were never paid"),
    "reconcile-payments": _l("Settle card payments left pending"),
    "send-mail": _l("Send queued mail"),
}


@bp.route("/jobs")
def job_list():
    rows = leases()
    return render_template("county/jobs.html", jobs=[(job, JOB_PURPOSES.get(job.id, job.help), rows.get(job.id))
                                                      for job in JOBS], breaker=breaker_panel(),
                           pin_failures=failure_spike(utcnow(), current_app.config["PIN_ALARM_PHONES"]))
