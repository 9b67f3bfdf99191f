"""The county's money pages: reconciliation per campaign, costs, and paying a village's households."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from courtyard.county import bp
from courtyard.county.forms import CostForm, VillagePayForm
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Campaign, Household, LedgerEntry, PayoutBatch, Village
from courtyard.models.types import utcnow
from courtyard.services.money import ledger, payouts
from courtyard.services.money.reconciliation import reconciliation
from courtyard.shared_pages import ledger_reversals
from courtyard.shared_pages.household_money import bank_file, register
from courtyard.text.formatting import fen
from courtyard.web.form_fields import options
from courtyard.web.form_pages import attach_error


def _owed_by_village():
    """[(village, owed in all, [(household, owed)])] for villages whose households are owed something."""
    owed = (select(LedgerEntry.household_id, (-func.sum(LedgerEntry.amount_fen)).label("owed"))
            .where(LedgerEntry.account == "household_payable").group_by(LedgerEntry.household_id)
            .having(func.sum(LedgerEntry.amount_fen) != 0).subquery())
    rows = db.session.execute(select(Household, owed.c.owed).join(owed, owed.c.household_id == Household.id)
                              .options(joinedload(Household.village).joinedload(Village.township))
                              .order_by(Household.head_name, Household.id)).all()
    by_village = {}
    for household, amount in rows:
        by_village.setdefault(household.village, []).append((household, amount))
    return [(village, sum(amount for _household, amount in households), households)
            for village, households in sorted(by_village.items(), key=lambda pair: (pair[0].name, pair[0].id))]


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
    balances, balanced = ledger.trial_balance()
    batches = db.session.scalars(select(PayoutBatch).options(joinedload(PayoutBatch.village).joinedload(Village.township))
                                 .order_by(PayoutBatch.created_at.desc()).limit(10)).all()
    return render_template("county/reconciliation.html", rows=reconciliation(), balances=balances, balanced=balanced,
                           form=form, villages=_owed_by_village(), pay_form=VillagePayForm(),
                           batches=batches), 422 if form.errors else 200


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
