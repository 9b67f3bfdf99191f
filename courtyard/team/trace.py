"""Work-team pages for traceability: how each household grew its goods for a round, and the quality checks."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courtyard.access import batch_in_scope, collection_record_in_scope, delivery_round_in_scope, team_village_id
from courtyard.extensions import db
from courtyard.models import HouseholdBatch, QualityCheck
from courtyard.models.types import utcnow
from courtyard.services.supply import collection
from courtyard.services.trace import trace
from courtyard.web.form_pages import form_page
from courtyard.team import bp
from courtyard.shared_pages.trace import batch_form_page
from courtyard.shared_pages.trace_forms import CheckForm


@bp.route("/trace/<int:round_id>")
def trace_round(round_id):
    """Every household and item of the village's allocation, with its batch record and quality check."""
    round_ = delivery_round_in_scope(round_id)
    run = collection.round_run(round_.id, team_village_id())
    lines = sorted((l for l in (run.lines if run else []) if l.units),
                   key=lambda l: (l.household.head_name, l.household_id, l.item_id))
    households = {l.household_id for l in lines}
    records = collection.records_of(round_.id, households)
    batches = {(b.household_id, b.item_id): b for b in db.session.scalars(select(HouseholdBatch).where(
        HouseholdBatch.round_id == round_.id, HouseholdBatch.household_id.in_(households)))}
    checks = {c.record_id: c for c in db.session.scalars(select(QualityCheck).where(
        QualityCheck.record_id.in_([r.id for r in records.values()])))}
    return render_template("team/trace_round.html", round=round_, lines=lines, records=records, batches=batches,
                           checks=checks)


@bp.route("/trace/<int:round_id>/suppliers/<int:supplier_id>/items/<int:item_id>", methods=["GET", "POST"])
def trace_batch(round_id, supplier_id, item_id):
    """How the supplying household (``supplier_id``) grew the item for the round."""
    round_, household, item = batch_in_scope(round_id, supplier_id, item_id)
    return batch_form_page(round_, household, item, "team/trace_batch.html",
                           url_for("team.trace_round", round_id=round_.id))


@bp.route("/trace/records/<int:record_id>/check", methods=["GET", "POST"])
def trace_check(record_id):
    record = collection_record_in_scope(record_id)
    check = db.session.scalar(select(QualityCheck).where(QualityCheck.record_id == record.id))
    form = CheckForm()
    if check and request.method == "GET":
        form.result.data = "pass" if check.passed else "fail"
        form.certificate.data, form.note.data = check.certificate, check.note
    save = lambda: trace.record_check(current_user, record, utcnow(), passed=form.result.data == "pass",  # noqa: E731
                                      note=form.note.data, certificate=form.certificate.data)
    return form_page(form, save, "team/trace_check.html", url_for("team.trace_round", round_id=record.round_id),
                     message=_("Quality check saved."), record=record)


