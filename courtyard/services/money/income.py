"""Household income from the ledger: what each household earned in a period, and the county's
headline figure, the average income increase per household (户均增收), by village, tier and campaign.

Earnings are goods accepted and hosting fees credited to households, less any of them reversed.
A household is *reached* when it earned more than nothing in the period.
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import TIERS, Campaign, DashboardEarning, Household, LedgerEntry, LedgerTransaction, Village
from courtyard.services.dashboards.dashboard_summary import summarised_before
from courtyard.services.money.ledger import KIND, ORIGINAL
from courtyard.services.money.statements import EARNING_KINDS



def payable_movements(period, *conditions):
    """Rows (household id, campaign id, effective kind, fen added to what is owed) in the period."""
    start, end = period.bounds_utc()
    return db.session.execute(
        select(LedgerEntry.household_id, LedgerEntry.campaign_id, KIND, -func.sum(LedgerEntry.amount_fen))
        .join(LedgerTransaction, LedgerEntry.transaction_id == LedgerTransaction.id)
        .outerjoin(ORIGINAL, ORIGINAL.id == LedgerTransaction.reverses_id)
        .where(LedgerEntry.account == "household_payable", LedgerTransaction.occurred_at >= start,
               LedgerTransaction.occurred_at < end, *conditions)
        .group_by(LedgerEntry.household_id, LedgerEntry.campaign_id, KIND)).all()


def household_money(period, village_id):
    """{household id: (earned, paid)} in the period for a village's households."""
    in_village = LedgerEntry.household_id.in_(select(Household.id).where(Household.village_id == village_id))
    money = defaultdict(lambda: [0, 0])
    for household_id, _campaign, kind, added in payable_movements(period, in_village):
        if kind in EARNING_KINDS:
            money[household_id][0] += added
        else:
            money[household_id][1] -= added
    return {household_id: tuple(pair) for household_id, pair in money.items()}


@dataclass(frozen=True)
class IncomeGroup:
    key: object
    label: str
    reached: int  # households that earned something
    earned_fen: int

    @property
    def average_fen(self):
        return self.earned_fen // self.reached if self.reached else 0


@dataclass(frozen=True)
class IncomeSummary:
    overall: IncomeGroup
    by_village: tuple[IncomeGroup, ...]
    by_tier: tuple[IncomeGroup, ...]
    by_campaign: tuple[IncomeGroup, ...]


def income_summary(period, *, village_id=None, tier_labels=None):
    """户均增收 for the period, county-wide or for one village.

    Reads the dashboard's summary for the transactions it holds and the ledger for the rest (see
    :func:`earnings_by_campaign`), and only the households' ids, villages and tiers: never their
    encrypted columns.
    """
    per_household, per_campaign = defaultdict(int), defaultdict(lambda: defaultdict(int))
    for (household_id, campaign_id), added in earnings_by_campaign(period, village_id).items():
        per_household[household_id] += added
        per_campaign[campaign_id][household_id] += added
    households = {}
    ids = list(per_household)
    for begin in range(0, len(ids), 5000):  # a county's worth of ids, in pieces the databases accept
        households.update((row[0], row[1:]) for row in db.session.execute(
            select(Household.id, Household.village_id, Household.tier).where(Household.id.in_(ids[begin:begin + 5000]))))
    villages = {v.id: v for v in db.session.scalars(select(Village).where(
        Village.id.in_({village for village, _tier in households.values()})))}
    campaigns = dict(db.session.execute(select(Campaign.id, Campaign.title).where(Campaign.id.in_(
        [c for c in per_campaign if c is not None]))).all())

    def group(key, label, earnings):
        reached = [amount for amount in earnings if amount > 0]
        return IncomeGroup(key, label, len(reached), sum(reached))

    def grouped(key_of, label_of, keys):
        buckets = defaultdict(list)
        for household_id, amount in per_household.items():
            buckets[key_of(households[household_id])].append(amount)
        return tuple(group(k, label_of(k), buckets[k]) for k in keys if k in buckets)

    by_village = grouped(lambda h: h[0], lambda v: villages[v].full_name,
                         sorted(villages, key=lambda v: villages[v].full_name))
    by_tier = grouped(lambda h: h[1], lambda t: str((tier_labels or {}).get(t, t)), TIERS)
    by_campaign = tuple(group(c, campaigns.get(c, "—"), per_campaign[c].values())
                        for c in sorted(per_campaign, key=lambda c: (c is None, c or 0)))
    return IncomeSummary(group(None, "", per_household.values()), by_village, by_tier, by_campaign)


def earnings_by_campaign(period, village_id=None):
    """{(household id, campaign id): fen earned in the period}, for one village or the county.

    Transactions recorded before the dashboard summary's watermark are read from the summary, the
    rest from the ledger, so the figures equal the ledger's whenever the summary was refreshed.
    """
    cutoff = summarised_before()
    conditions = [LedgerEntry.household_id.in_(select(Household.id).where(Household.village_id == village_id))] \
        if village_id else []
    if cutoff is not None:
        conditions.append(LedgerTransaction.recorded_at >= cutoff)
    found = defaultdict(int)
    for household_id, campaign_id, kind, added in payable_movements(period, *conditions):
        if kind in EARNING_KINDS:
            found[household_id, campaign_id] += int(added)
    if cutoff is not None:
        summary = (select(DashboardEarning.household_id, DashboardEarning.campaign_id, func.sum(DashboardEarning.earned_fen))
                   .where(DashboardEarning.day >= period.start, DashboardEarning.day < period.end)
                   .group_by(DashboardEarning.household_id, DashboardEarning.campaign_id))
        if village_id:
            summary = summary.where(DashboardEarning.household_id.in_(
                select(Household.id).where(Household.village_id == village_id)))
        for household_id, campaign_id, added in db.session.connection().execute(summary):
            found[household_id, campaign_id] += int(added)
    return found
