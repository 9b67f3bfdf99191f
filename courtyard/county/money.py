"""The county's money pages: reconciliation per campaign, costs, and paying a village's households."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courtyard.county import bp
from courtyard.county.forms import CostForm, VillagePayForm
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Village
from courtyard.models.types import utcnow
from courtyard.services.money import ledger, payouts
from courtyard.services.money.reconciliation import reconciliation_and_balance
from courtyard.shared_pages import ledger_reversals
from courtyard.shared_pages.household_money import bank_file, register
from courtyard.text.formatting import fen
from courtyard.web.form_fields import options
from courtyard.web.form_pages import attach_error
from courtyard.services.campaigns import campaigns


@bp.route("/reconciliation", methods=["GET", "POST"])
def reconciliation_page():
    form = CostForm()
    form.campaign_id.choices = options((c.id, c.title) for c in campaigns.past_draft())
    if form.validate_on_submit():
        try:
            ledger.post_cost(form.campaign_id.data, form.kind.data, form.amount.data, form.memo.data or "", utcnow(),
                             current_user)
            db.session.commit()
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Cost recorded."), "success")
            return redirect(url_for("county.reconciliation_page"))
    rows, balanced = reconciliation_and_balance()
    return render_template("county/reconciliation.html", rows=rows, balanced=balanced,
                           form=form, villages=payouts.owed_by_village(), pay_form=VillagePayForm(),
                           batches=payouts.recent_batches(10)), 422 if form.errors else 200


@bp.route("/villages/<int:village_id>/owed")
def village_owed(village_id):
    """The households of one village that are owed something, each linked to its money page."""
    village = db.get_or_404(Village, village_id)
    return render_template("county/village_owed.html", village=village, pay_form=VillagePayForm(),
                           households=payouts.owed_households_of(village.id))


@bp.route("/villages/<int:village_id>/pay-all", methods=["POST"])
def village_pay_all(village_id):
    village = db.get_or_404(Village, village_id)
    form = VillagePayForm()
    if form.validate_on_submit():
        try:
            batch = payouts.pay_village(current_user, village.id, form.method.data, utcnow())
            db.session.commit()
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
