"""The county's public figures: open campaigns, money raised, households reached, average income increase.

One function, ``public_figures(now)``: money raised from paid pledges less refunds; what households
earned (goods accepted, hosting fees, less reversals) from the money ledger.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import Campaign, Pledge
from courtyard.services.income import payable_movements
from courtyard.services.statements import EARNING_KINDS, Period, local_today


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
    since_ever = Period("custom", date(2000, 1, 1), local_today(now) + timedelta(days=1))
    for household_id, _campaign_id, kind, added in payable_movements(since_ever):
        if kind in EARNING_KINDS:
            income[household_id] = income.get(household_id, 0) + int(added)
    income = {household_id: fen for household_id, fen in income.items() if fen > 0}
    total = sum(income.values())
    reached = len(income)
    return PublicFigures(open_campaigns=open_campaigns, raised_fen=int(raised), households_reached=reached,
                         income_fen=total, average_increase_fen=total // reached if reached else 0)
