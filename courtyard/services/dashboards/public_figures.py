"""The county's public figures: open campaigns, money raised, households reached, average income increase.

``public_figures(now)`` is what the landing page shows. Money raised is the paid pledges less refunds;
households reached and their income are what households earned (goods accepted, hosting fees, less
reversals) in the money ledger. Summing the whole ledger takes seconds at county size, so the
``refresh-dashboard`` job draws these figures with :func:`draw_public_figures` (from the dashboard's
summary) and keeps them with the time they were drawn; the page reads that one row and says when. Until
the job has drawn them once, the page counts them from the ledger itself.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.localtime import Period, local_today
from courtyard.models import Campaign, DashboardEarning, Pledge
from courtyard.services.dashboards.dashboard_summary import summary_state
from courtyard.services.money.income import payable_movements
from courtyard.services.money.statements import EARNING_KINDS


@dataclass(frozen=True)
class PublicFigures:
    open_campaigns: int
    raised_fen: int  # paid pledges, less refunds
    households_reached: int  # households that earned anything
    income_fen: int  # what those households earned
    average_increase_fen: int  # income per household reached
    drawn_at: datetime | None = None  # when the money figures were drawn (None: just now)

    @property
    def has_income(self):
        return self.households_reached > 0


def public_figures(now):
    """The landing page's figures as of ``now``: the kept money figures if the job has drawn them."""
    open_campaigns = db.session.scalar(select(func.count(Campaign.id)).where(
        Campaign.state == "open", Campaign.closes_at > now))
    state = summary_state()
    if state is not None and state.figures_drawn_at is not None:
        raised, reached, income, drawn_at = state.raised_fen, state.households_reached, state.income_fen, \
            state.figures_drawn_at
    else:
        raised, (reached, income), drawn_at = _raised(), _income_from_ledger(now), None
    return PublicFigures(open_campaigns=open_campaigns, raised_fen=int(raised), households_reached=reached,
                         income_fen=income, average_increase_fen=income // reached if reached else 0, drawn_at=drawn_at)


def draw_public_figures(now):
    """Draw the money figures from the dashboard's summary (refreshed just before) and keep them with ``now``.

    The summary holds every ledger transaction recorded before its watermark; those recorded since (at
    most the summary's lag) join the figures at the next refresh.
    """
    state = summary_state()
    if state is None:
        return
    earned = db.session.execute(select(DashboardEarning.household_id, func.sum(DashboardEarning.earned_fen))
                                .group_by(DashboardEarning.household_id)).all()
    amounts = [int(amount) for _household, amount in earned if amount and amount > 0]
    state.raised_fen, state.households_reached, state.income_fen = _raised(), len(amounts), sum(amounts)
    state.figures_drawn_at = now
    db.session.commit()


def _raised():
    return int(db.session.scalar(select(func.coalesce(func.sum(Pledge.total_fen - Pledge.refunded_fen), 0))
                                 .where(Pledge.state == "paid")))


def _income_from_ledger(now):
    """(households reached, their income) summed from the whole ledger up to ``now``."""
    income = {}
    since_ever = Period("custom", date(2000, 1, 1), local_today(now) + timedelta(days=1))
    for household_id, _campaign_id, kind, added in payable_movements(since_ever):
        if kind in EARNING_KINDS:
            income[household_id] = income.get(household_id, 0) + int(added)
    amounts = [fen for fen in income.values() if fen > 0]
    return len(amounts), sum(amounts)
