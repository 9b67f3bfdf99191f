"""The county's public figures: open campaigns, money raised, households reached, average income increase.

One function, ``public_figures(now)``, computed from what exists (paid pledges, accepted collection
records at their unit price, host fees of done visits), so it can be switched to the ledger later.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import Campaign, CollectionRecord, Pledge, Visit, VisitHost


@dataclass(frozen=True)
class PublicFigures:
    open_campaigns: int
    raised_fen: int  # paid pledges, less refunds
    households_reached: int  # households that earned anything
    income_fen: int  # what those households earned
    average_increase_fen: int  # income per household reached

    @property
    def has_income(self):
        return self.households_reached > 0


def public_figures(now):
    """The landing page's figures as of ``now``."""
    open_campaigns = db.session.scalar(select(func.count(Campaign.id)).where(
        Campaign.state == "open", Campaign.closes_at > now))
    raised = db.session.scalar(select(func.coalesce(func.sum(Pledge.total_fen - Pledge.refunded_fen), 0))
                               .where(Pledge.state == "paid"))
    income = {}
    for household_id, fen in db.session.execute(
            select(CollectionRecord.household_id, func.sum(CollectionRecord.units_accepted * CollectionRecord.unit_price_fen))
            .where(CollectionRecord.units_accepted > 0).group_by(CollectionRecord.household_id)):
        income[household_id] = income.get(household_id, 0) + int(fen)
    for household_id, fen in db.session.execute(
            select(VisitHost.household_id, func.sum(VisitHost.fee_fen)).join(Visit, VisitHost.visit_id == Visit.id)
            .where(Visit.state == "done", VisitHost.fee_fen > 0).group_by(VisitHost.household_id)):
        income[household_id] = income.get(household_id, 0) + int(fen)
    total = sum(income.values())
    reached = len(income)
    return PublicFigures(open_campaigns=open_campaigns, raised_fen=int(raised), households_reached=reached,
                         income_fen=total, average_increase_fen=total // reached if reached else 0)
