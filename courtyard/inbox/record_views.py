"""The record of what was sent: a block on the pages that cause messages, "send again", the county's page."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from courtyard.access import allocation_run_in_scope, payout_batch_in_scope, role_required, sees_numbers_of
from courtyard.extensions import db
from courtyard.inbox import bp
from courtyard.inbox.forms import ButtonForm
from courtyard.messages import record, sending
from courtyard.messages.figures import mask_phone
from courtyard.messages.sms_templates import TEMPLATES
from courtyard.models import AllocationRun, NoticeDelivery
from courtyard.models.types import utcnow
from courtyard.safe_redirect import is_local_path

# the subjects whose pages show a record, and the scope check each needs (404 outside it)
SUBJECT_CHECKS = {"allocation_run": allocation_run_in_scope, "payout_batch": payout_batch_in_scope}


def shown_phone(delivery, notice):
    """The number as the current user may see it: whole for the sender's own team, masked for others."""
    if delivery is None:
        return ""
    return delivery.address if sees_numbers_of(current_user, notice.village_id) else mask_phone(delivery.address)


@bp.app_template_global()
def message_record(subject_type, subject_ids, back=None):
    """The block "sent to 38 households, 2 failed, 1 waiting" with its list, for a page that caused messages.

    ``subject_type`` "delivery_round" stands for the allocation runs of those rounds.
    """
    ids = list(subject_ids)
    if subject_type == "delivery_round":
        subject_type = "allocation_run"
        ids = db.session.scalars(select(AllocationRun.id).where(AllocationRun.round_id.in_(ids))
                                 .order_by(AllocationRun.id)).all() if ids else []
    found = record.of_subject(subject_type, ids)
    return Markup(render_template("inbox/_record.html", record=found, shown_phone=shown_phone, form=ButtonForm(),
                                  subject_type=subject_type, back=back or request.full_path,
                                  ids=",".join(map(str, ids))))


@bp.route("/record/<subject_type>/resend", methods=["POST"])
@role_required("county", "team")
def record_resend(subject_type):
    check = SUBJECT_CHECKS.get(subject_type)
    raw = (request.args.get("ids") or "").split(",")
    if check is None or not all(part.isdigit() for part in raw):
        abort(404)
    ids = [check(int(part)).id for part in raw]
    if ButtonForm().validate_on_submit():
        count = sending.resend_failed(record.failed_ids(subject_type, ids), utcnow())
        db.session.commit()
        flash(_("%(count)s text messages queued again.", count=count), "success")
    return redirect(_back())


def _back():
    back = request.args.get("back") or ""
    return back if is_local_path(back) else url_for("inbox.inbox_list")


@bp.route("/record")
@role_required("county")
def county_record():
    overview = record.county_overview(utcnow())
    return render_template("inbox/county_record.html", overview=overview, templates=TEMPLATES,
                           mask_phone=mask_phone, form=ButtonForm())


@bp.route("/record/failed/resend", methods=["POST"])
@role_required("county")
def county_resend():
    if ButtonForm().validate_on_submit():
        count = sending.resend_failed(select(NoticeDelivery.id).where(NoticeDelivery.state == "failed"), utcnow())
        db.session.commit()
        flash(_("%(count)s text messages queued again.", count=count), "success")
    return redirect(url_for("inbox.county_record"))
