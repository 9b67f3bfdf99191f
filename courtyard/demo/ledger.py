"""Demo money on top of the demo's real collections (which post "goods accepted" themselves): the
village owed most paid by bank, one household paid part in cash, one logistics cost. Safe to run twice.
"""

from datetime import timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Household, LedgerTransaction, Pledge, User, Village
from courtyard.services.money import ledger, payouts


def post_demo_payouts(now):
    """One household paid part in cash, another village (if owed) paid by bank, one logistics cost; only once."""
    if db.session.scalar(select(LedgerTransaction.id).where(LedgerTransaction.kind == "payout").limit(1)):
        return
    with_login = db.session.scalars(select(Household).join(User, User.household_id == Household.id)
                                    .order_by(Household.id)).all()
    first = next((h for h in with_login if ledger.owed_fen(h.id) >= 200), None)
    if first is not None:
        payouts.record_payout(None, first, ledger.owed_fen(first.id) // 2 // 100 * 100, "cash", "现金-001",
                              now - timedelta(days=2))
    others = db.session.scalars(select(Village).where(Village.id != getattr(first, "village_id", None))
                                .order_by(Village.id)).all()
    village = max(others, key=lambda v: sum(ledger.owed_in_village(v.id).values()), default=None)
    if village is not None and ledger.owed_in_village(village.id):
        payouts.pay_village(None, village.id, "bank", now - timedelta(days=3))
    campaign_id = db.session.scalar(select(Pledge.campaign_id).where(Pledge.state == "paid").limit(1))
    if campaign_id:
        ledger.post_cost(campaign_id, "logistics", 18000, "县城至各单位配送", now - timedelta(days=1), None,
                         source_ref="demo:cost:logistics")


def build_demo_ledger(now):
    post_demo_payouts(now)
