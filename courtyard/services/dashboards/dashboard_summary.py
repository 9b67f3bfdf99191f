"""The county dashboard's summary of the ledger, refreshed by the ``refresh-dashboard`` job.

:func:`refresh_summary` adds the sums, per local day, of the ledger transactions recorded since the
last refresh and up to :data:`LAG` ago (a transaction still being written is recorded a little before
it commits, so the summary stays behind by more than any write takes). :func:`summarised_before`
tells the dashboard where the summary ends, so it reads the rest live from the ledger. Safe to run
twice: each refresh moves the watermark with a conditional UPDATE first, so two at once cannot both
add the same transactions.
"""

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import insert, select, update

from courtyard.extensions import db
from courtyard.localtime import local_today
from courtyard.models import DashboardEarning, DashboardMoney, DashboardSummaryState, LedgerEntry, LedgerTransaction
from courtyard.services.money.ledger import KIND, ORIGINAL
from courtyard.services.money.statements import EARNING_KINDS

LAG = timedelta(minutes=10)
STATE_ID = 1


def summary_state():
    """The summary's :class:`DashboardSummaryState`, or None before the first refresh."""
    return db.session.get(DashboardSummaryState, STATE_ID)


def summarised_before():
    """Transactions recorded before this UTC time are in the summary; None: none are."""
    state = summary_state()
    return state.summarised_before if state else None


def _movements(account, start, cutoff):
    query = (select(LedgerEntry.household_id, LedgerEntry.campaign_id, KIND, LedgerTransaction.occurred_at,
                    LedgerEntry.amount_fen)
             .join(LedgerTransaction, LedgerEntry.transaction_id == LedgerTransaction.id)
             .outerjoin(ORIGINAL, ORIGINAL.id == LedgerTransaction.reverses_id)
             .where(LedgerEntry.account == account, LedgerTransaction.recorded_at < cutoff))
    if start is not None:
        query = query.where(LedgerTransaction.recorded_at >= start)
    return db.session.execute(query)


def refresh_summary(now):
    """Add the transactions recorded since the last refresh (up to ``now - LAG``); returns how many rows were added."""
    cutoff = now - LAG
    state = summary_state()
    if state is None:
        db.session.add(DashboardSummaryState(id=STATE_ID, summarised_before=None, refreshed_at=None))
        db.session.commit()
        state = summary_state()
    start = state.summarised_before
    if start is not None and cutoff <= start:
        return 0
    moved = db.session.execute(update(DashboardSummaryState).where(
        DashboardSummaryState.id == STATE_ID,
        DashboardSummaryState.summarised_before.is_(None) if start is None
        else DashboardSummaryState.summarised_before == start).values(summarised_before=cutoff, refreshed_at=now))
    if moved.rowcount != 1:  # another refresh got there first
        db.session.rollback()
        return 0
    earned, money = defaultdict(int), defaultdict(int)
    for household_id, campaign_id, kind, at, amount in _movements("household_payable", start, cutoff):
        if kind in EARNING_KINDS:
            earned[local_today(at), household_id, campaign_id] -= amount
    for _household, campaign_id, kind, at, amount in _movements("unit_funds", start, cutoff):
        money[local_today(at), campaign_id, kind] += amount
    earning_rows = [{"day": day, "household_id": h, "campaign_id": c, "earned_fen": fen}  # zeros too: a household
                    for (day, h, c), fen in earned.items()]  # whose earnings were reversed still counts as one
    money_rows = [{"day": day, "campaign_id": c, "kind": kind, "amount_fen": fen}
                  for (day, c, kind), fen in money.items() if fen]
    for model, rows in ((DashboardEarning, earning_rows), (DashboardMoney, money_rows)):
        for begin in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[begin:begin + 5000])
    db.session.commit()
    return len(earning_rows) + len(money_rows)
