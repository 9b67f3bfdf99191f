"""The work team's money pages: who is owed what, statements for the village, payouts and their files."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courtyard.access import payout_batch_in_scope, team_village_id
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Household, PayoutBatch, Village
from courtyard.models.types import utcnow
from courtyard.services.money import ledger, payouts
from courtyard.services.money.income import household_money
from courtyard.services.money.statements import statements_for
from courtyard.services.operations import audit
from courtyard.shared_pages import ledger_reversals
from courtyard.shared_pages.household_money import bank_file, register
from courtyard.shared_pages.statements import chosen_period, export, export_period
from courtyard.text.formatting import fen
from courtyard.team import bp
from courtyard.team.forms import PayAllForm


@bp.route("/money")
def money():
    village_id = team_village_id()
    period, form = chosen_period(utcnow())
    households = db.session.scalars(select(Household).where(Household.village_id == village_id)
                                    .order_by(Household.head_name, Household.id)).all()
    owed, moved = ledger.owed_in_village(village_id), household_money(period, village_id)
    rows = [(h, *moved.get(h.id, (0, 0)), owed.get(h.id, 0)) for h in households if h.active or owed.get(h.id)]
    batches = db.session.scalars(select(PayoutBatch).where(PayoutBatch.village_id == village_id)
                                 .order_by(PayoutBatch.created_at.desc()).limit(10)).all()
    return render_template("team/money.html", rows=rows, period=period, form=form, batches=batches,
                           pay_all=PayAllForm(), total_owed=sum(owed.values()), query=request.query_string.decode())


@bp.route("/money/statements.<any(pdf, csv, xlsx):fmt>")
def village_statements(fmt):
    """Every household of the village, a page (or rows) each."""
    now = utcnow()
    period = export_period(now)
    households = db.session.scalars(select(Household).where(Household.village_id == team_village_id(),
                                                            Household.active.is_(True))
                                    .options(joinedload(Household.village).joinedload(Village.township))
                                    .order_by(Household.head_name, Household.id)).all()
    statements = statements_for(households, period)
    audit.record(current_user, "statements_exported", "village", team_village_id(), format=fmt,
                 start=str(period.start), end=str(period.end))
    db.session.commit()
    return export(statements, period, fmt, "statements", current_app.config["COUNTY_NAME"], now)


@bp.route("/money/pay-all", methods=["POST"])
def pay_all():
    form = PayAllForm()
    if form.validate_on_submit():
        try:
            batch = payouts.pay_village(current_user, team_village_id(), form.method.data, utcnow())
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("%(n)s households paid, %(amount)s in all.", n=len(batch.payouts),
                    amount=fen(sum(p.amount_fen for p in batch.payouts))), "success")
            return redirect(url_for("team.payout_batch", batch_id=batch.id))
    return redirect(url_for("team.money"))


@bp.route("/money/batches/<int:batch_id>")
def payout_batch(batch_id):
    batch = payout_batch_in_scope(batch_id)
    return render_template("team/payout_batch.html", batch=batch)


@bp.route("/money/batches/<int:batch_id>/bank.csv")
def payout_batch_csv(batch_id):
    return bank_file(batch_id)


register(bp)
ledger_reversals.register(bp)
