"""The county's money pages: reconciliation per campaign, costs, and paying a village's households."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courtyard.county import bp
from courtyard.county.forms import CostForm, VillagePayForm
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Campaign, Household, PayoutBatch, Village
from courtyard.models.types import utcnow
from courtyard.services.dashboards.dashboard_summary import summarised_before
from courtyard.services.money import ledger, payouts
from courtyard.services.money.ledger_rollup import owed_by_village
from courtyard.services.money.reconciliation import reconciliation_and_balance
from courtyard.shared_pages import ledger_reversals
from courtyard.shared_pages.household_money import bank_file, register
from courtyard.text.formatting import fen
from courtyard.web.form_fields import options
from courtyard.web.form_pages import attach_error


def _owed_by_village():
    """[(village, owed in all)] for villages whose households are owed something, read from the rollup."""
    owed = owed_by_village(summarised_before())
    villages = db.session.scalars(select(Village).where(Village.id.in_(list(owed)))
                                  .options(joinedload(Village.township))).all()
    return [(village, owed[village.id]) for village in sorted(villages, key=lambda v: (v.name, v.id))]


@bp.route("/reconciliation", methods=["GET", "POST"])
def reconciliation_page():
    form = CostForm()
    form.campaign_id.choices = options((c.id, c.title) for c in db.session.scalars(
        select(Campaign).where(Campaign.state != "draft").order_by(Campaign.id.desc())))
    if form.validate_on_submit():
        try:
            ledger.post_cost(form.campaign_id.data, form.kind.data, form.amount.data, form.memo.data or "", utcnow(),
                             current_user)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Cost recorded."), "success")
            return redirect(url_for("county.reconciliation_page"))
    rows, balanced = reconciliation_and_balance()
    batches = db.session.scalars(select(PayoutBatch).options(joinedload(PayoutBatch.village).joinedload(Village.township))
                                 .order_by(PayoutBatch.created_at.desc()).limit(10)).all()
    return render_template("county/reconciliation.html", rows=rows, balanced=balanced,
                           form=form, villages=_owed_by_village(),
                           batches=batches), 422 if form.errors else 200


@bp.route("/villages/<int:village_id>/owed")
def village_owed(village_id):
    """The households of one village that are owed something, each linked to its money page."""
    village = db.get_or_404(Village, village_id)
    owed = {h: fen for h, fen in ledger.owed_in_village(village.id).items() if fen}
    households = db.session.scalars(select(Household).where(Household.id.in_(list(owed)))
                                    .order_by(Household.head_name, Household.id)).all()
    return render_template("county/village_owed.html", village=village, pay_form=VillagePayForm(),
                           households=[(household, owed[household.id]) for household in households])


@bp.route("/villages/<int:village_id>/pay-all", methods=["POST"])
def village_pay_all(village_id):
    village = db.get_or_404(Village, village_id)
    form = VillagePayForm()
    if form.validate_on_submit():
        try:
            batch = payouts.pay_village(current_user, village.id, form.method.data, utcnow())
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("%(n)s households paid, %(amount)s in all.", n=len(batch.payouts),
                    amount=fen(sum(p.amount_fen for p in batch.payouts))), "success")
    return redirect(url_for("county.reconciliation_page"))


@bp.route("/payout-batches/<int:batch_id>/bank.csv")
def payout_batch_csv(batch_id):
    return bank_file(batch_id)


register(bp)
ledger_reversals.register(bp)
