"""The county's reconciliation per campaign: money in, money back, paid and owed to households, costs,
and whether the campaign's debits equal its credits."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import Campaign, LedgerEntry, LedgerTransaction
from courtyard.services.money.ledger import KIND, ORIGINAL

RECEIPT_KINDS = ("payment_captured", "transfer_received")


@dataclass(frozen=True)
class CampaignReconciliation:
    campaign_id: int | None
    title: str
    captured_fen: int
    refunded_fen: int
    produce_fen: int
    hosting_fen: int
    logistics_fen: int
    packaging_fen: int
    paid_to_households_fen: int
    owed_to_households_fen: int
    debits_fen: int
    credits_fen: int

    @property
    def balanced(self):
        return self.debits_fen == self.credits_fen

    @property
    def remaining_fen(self):
        """What is left of the units' money after refunds, households' income and costs."""
        return (self.captured_fen - self.refunded_fen - self.produce_fen - self.hosting_fen - self.logistics_fen
                - self.packaging_fen)


def reconciliation():
    """One row per campaign that has ledger entries (and one for fees outside any campaign), newest first."""
    rows = db.session.execute(
        select(LedgerEntry.campaign_id, LedgerEntry.account, KIND,
               func.sum(LedgerEntry.amount_fen),
               func.sum(func.abs(LedgerEntry.amount_fen)))
        .join(LedgerTransaction, LedgerEntry.transaction_id == LedgerTransaction.id)
        .outerjoin(ORIGINAL, ORIGINAL.id == LedgerTransaction.reverses_id)
        .group_by(LedgerEntry.campaign_id, LedgerEntry.account, KIND)).all()
    sums = defaultdict(lambda: defaultdict(int))
    debits, credits = defaultdict(int), defaultdict(int)
    for campaign_id, account, kind, net, gross in rows:
        sums[campaign_id][(account, kind)] += net
        debits[campaign_id] += (gross + net) // 2
        credits[campaign_id] += (gross - net) // 2
    titles = dict(db.session.execute(select(Campaign.id, Campaign.title).where(Campaign.id.in_(
        [c for c in sums if c is not None]))).all())
    result = []
    for campaign_id in sorted(sums, key=lambda c: (c is None, -(c or 0))):
        s = sums[campaign_id]

        def account_total(account, kinds=None, s=s):
            return sum(v for (a, k), v in s.items() if a == account and (kinds is None or k in kinds))

        result.append(CampaignReconciliation(
            campaign_id=campaign_id, title=titles.get(campaign_id, "—"),
            captured_fen=-account_total("unit_funds", RECEIPT_KINDS), refunded_fen=account_total("unit_funds", ("refund",)),
            produce_fen=account_total("produce_cost"), hosting_fen=account_total("hosting_cost"),
            logistics_fen=account_total("logistics_cost"), packaging_fen=account_total("packaging_cost"),
            paid_to_households_fen=account_total("household_payable", ("payout",)),
            owed_to_households_fen=-account_total("household_payable"),
            debits_fen=debits[campaign_id], credits_fen=credits[campaign_id]))
    return result
