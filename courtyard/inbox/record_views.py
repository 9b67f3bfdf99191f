"""The record of what was sent: a block on the pages that cause messages, "send again", the county's page."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from courtyard.access import (
    allocation_run_in_scope, delivery_round_in_scope, payout_batch_in_scope, role_required, sees_numbers_of,
)
from courtyard.extensions import db
from courtyard.inbox import bp
from courtyard.inbox.forms import ButtonForm
from courtyard.messages import record, sending
from courtyard.messages.figures import mask_phone
from courtyard.messages.sms_templates import TEMPLATES
from courtyard.models import AllocationRun, NoticeDelivery
from courtyard.models.types import utcnow
from courtyard.web.safe_redirect import is_local_path

STATE_LABELS = {"queued": _l("queued"), "waiting": _l("waiting"), "unsure": _l("no answer yet"), "sending": _l("sending"),
                "sent": _l("sent"), "delivered": _l("delivered"), "failed": _l("failed")}

# the pages that show a record: the "send again" route of each, and its argument
RESEND_ENDPOINTS = {"allocation_run": ("inbox.run_resend", "run_id"), "payout_batch": ("inbox.batch_resend", "batch_id"),
                    "delivery_round": ("inbox.round_resend", "round_id")}


def shown_phone(delivery, notice):
    """The number as the current user may see it: whole for the sender's own team, masked for others."""
    if delivery is None:
        return ""
    return delivery.address if sees_numbers_of(current_user, notice.village_id) else mask_phone(delivery.address)


@bp.app_template_global()
def message_record(subject_type, subject_id, back=None):
    """The block "sent to 38 households, 2 failed, 1 waiting" with its list, for a page that caused messages.

    ``subject_type`` is ``allocation_run``, ``payout_batch`` or ``delivery_round`` (its runs' messages).
    """
    endpoint, argument = RESEND_ENDPOINTS[subject_type]
    resend_url = url_for(endpoint, **{argument: subject_id}, back=back or request.full_path)
    ids = _round_runs([subject_id]) if subject_type == "delivery_round" else [subject_id]
    found = record.of_subject("allocation_run" if subject_type == "delivery_round" else subject_type, ids)
    return Markup(render_template("inbox/_record.html", record=found, shown_phone=shown_phone, form=ButtonForm(),
                                  resend_url=resend_url))


@bp.route("/record/runs/<int:run_id>/resend", methods=["POST"])
@role_required("county", "team")
def run_resend(run_id):
    return _resend("allocation_run", [allocation_run_in_scope(run_id).id])


@bp.route("/record/batches/<int:batch_id>/resend", methods=["POST"])
@role_required("county", "team")
def batch_resend(batch_id):
    return _resend("payout_batch", [payout_batch_in_scope(batch_id).id])


@bp.route("/record/rounds/<int:round_id>/resend", methods=["POST"])
@role_required("county")
def round_resend(round_id):
    round_ = delivery_round_in_scope(round_id)
    return _resend("allocation_run", _round_runs([round_.id]))


def _round_runs(round_ids):
    return db.session.scalars(select(AllocationRun.id).where(AllocationRun.round_id.in_(round_ids))
                              .order_by(AllocationRun.id)).all() if round_ids else []


def _resend(subject_type, ids):
    """Queue the failed texts of these subjects again, then go back to the page that asked."""
    if ButtonForm().validate_on_submit():
        count = sending.resend_failed(record.failed_ids(subject_type, ids), utcnow())
        db.session.commit()
        flash(_("%(count)s text messages queued again.", count=count), "success")
    back = request.args.get("back") or ""
    return redirect(back if is_local_path(back) else url_for("inbox.inbox_list"))


@bp.route("/record")
@role_required("county")
def county_record():
    overview = record.county_overview(utcnow())
    return render_template("inbox/county_record.html", overview=overview, templates=TEMPLATES, state_labels=STATE_LABELS,
                           mask_phone=mask_phone, form=ButtonForm())


@bp.route("/record/failed/resend", methods=["POST"])
@role_required("county")
def county_resend():
    if ButtonForm().validate_on_submit():
        count = sending.resend_failed(select(NoticeDelivery.id).where(NoticeDelivery.state == "failed"), utcnow())
        db.session.commit()
        flash(_("%(count)s text messages queued again.", count=count), "success")
    return redirect(url_for("inbox.county_record"))
