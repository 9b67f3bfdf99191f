"""A partner unit's annual budget: spent, committed and remaining, in fen."""

from dataclasses import dataclass

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.localtime import year_start
from courtyard.models import Pledge

COMMITTED_STATES = ("payment_pending", "awaiting_transfer", "authorized")


@dataclass
class Budget:
    annual_fen: int
    spent_fen: int
    committed_fen: int

    @property
    def remaining_fen(self):
        return self.annual_fen - self.spent_fen - self.committed_fen

    @property
    def used_percent(self):
        if self.annual_fen <= 0:
            return 100
        return min(100, round(100 * (self.spent_fen + self.committed_fen) / self.annual_fen))


def year_bounds(now):
    """The calendar year (in Asia/Shanghai) that ``now`` falls in, as aware datetimes."""
    start = year_start(now)
    return start, start.replace(year=start.year + 1)


def budget_of(unit, now):
    start, end = year_bounds(now)
    in_year = (Pledge.unit_id == unit.id, Pledge.created_at >= start, Pledge.created_at < end)
    spent = db.session.scalar(
        select(func.coalesce(func.sum(Pledge.total_fen - Pledge.refunded_fen), 0)).where(*in_year, Pledge.state == "paid")
    )
    committed = db.session.scalar(
        select(func.coalesce(func.sum(Pledge.total_fen), 0)).where(*in_year, Pledge.state.in_(COMMITTED_STATES))
    )
    return Budget(unit.annual_budget_fen, int(spent), int(committed))
