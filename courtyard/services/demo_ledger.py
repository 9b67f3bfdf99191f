"""Demo money: households paid for goods "collected" for the demo's paid campaign, some payouts, a cost.

Until delivery rounds record real collections, ``post_demo_collections`` stands in for them: it books
the paid pledges' package contents as goods accepted, poorest households first, as if collected ten
days ago. Replace it with the deliveries' own demo data once they exist. Safe to run twice.
"""

from datetime import timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Household, LedgerTransaction, Pledge, User, Village
from courtyard.services import ledger, payouts

TIER_ORDER = {"poor": 0, "monitored": 1, "lifted": 2}
UNITS_PER_HOUSEHOLD = 3  # at most this many units of one item from one household


def post_demo_collections(now):
    """Goods accepted for every paid pledge's packages, spread over the households with a login first."""
    at = now - timedelta(days=10)
    households = db.session.scalars(select(Household).where(Household.active.is_(True))).all()
    with_login = set(db.session.scalars(select(User.household_id).where(User.household_id.is_not(None))))
    households.sort(key=lambda h: (h.id not in with_login, TIER_ORDER[h.tier], h.id))
    cursor = 0
    for pledge in db.session.scalars(select(Pledge).where(Pledge.state == "paid").order_by(Pledge.id)):
        for line in pledge.lines:
            for package_item in line.offer.package.lines:
                needed, turn = package_item.quantity * line.quantity, 0
                while needed > 0:
                    household = households[(cursor + turn) % len(households)]
                    units = min(UNITS_PER_HOUSEHOLD, needed)
                    ledger.post_goods_accepted(
                        household.id, pledge.campaign_id, package_item.item_id, units, package_item.item.price_fen, at,
                        f"demo:collect:{pledge.id}:{line.id}:{package_item.item_id}:{turn}")
                    needed -= units
                    turn += 1
                cursor += turn // 2  # the next item starts further along, so more households take part
    db.session.commit()


def post_demo_payouts(now):
    """One village paid by bank, one household paid part in cash, one logistics cost; only once."""
    if db.session.scalar(select(LedgerTransaction.id).where(LedgerTransaction.kind == "payout").limit(1)):
        return
    village = db.session.scalar(select(Village).where(Village.name == "石门村"))
    if village is not None and ledger.owed_in_village(village.id):
        payouts.pay_village(None, village.id, "bank", now - timedelta(days=3))
    first = db.session.scalar(select(Household).join(User, User.household_id == Household.id).order_by(Household.id))
    if first is not None:
        owed = ledger.owed_fen(first.id)
        if owed >= 200:
            payouts.record_payout(None, first, owed // 2 // 100 * 100, "cash", "现金-001", now - timedelta(days=2))
    campaign_id = db.session.scalar(select(Pledge.campaign_id).where(Pledge.state == "paid").limit(1))
    if campaign_id:
        ledger.post_cost(campaign_id, "logistics", 18000, "县城至各单位配送", now - timedelta(days=1), None,
                         source_ref="demo:cost:logistics")


def build_demo_ledger(now):
    post_demo_collections(now)
    post_demo_payouts(now)
