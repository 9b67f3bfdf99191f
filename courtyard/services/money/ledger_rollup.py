"""The ledger summed per campaign, account and effective kind, and what each village's households are owed,
kept by the ``refresh-dashboard`` job.

:func:`add_recorded` adds the entries of the transactions recorded in a window to the
:class:`~courtyard.models.LedgerRollup` and :class:`~courtyard.models.VillageOwedRollup` rows (the
dashboard summary's refresh calls it with the
window it moves its watermark over, in the same database transaction, so the rollup always covers
exactly the transactions recorded before ``summarised_before``). :func:`ledger_sums` and
:func:`owed_by_village` add the rollups to a live sum of the transactions recorded from the watermark
on, so what they return equals a sum of the whole ledger at every moment, at the cost of the last
few minutes' entries only.
"""

from collections import defaultdict

from sqlalchemy import func, insert, select

from courtyard.extensions import db
from courtyard.models import Household, LedgerEntry, LedgerRollup, LedgerTransaction, VillageOwedRollup
from courtyard.services.money.ledger import KIND, ORIGINAL


def _summed(start, end):
    """(campaign_id, account, kind, net, gross) of the entries of transactions recorded in [start, end)."""
    query = (select(LedgerEntry.campaign_id, LedgerEntry.account, KIND, func.sum(LedgerEntry.amount_fen),
                    func.sum(func.abs(LedgerEntry.amount_fen)))
             .join(LedgerTransaction, LedgerEntry.transaction_id == LedgerTransaction.id)
             .outerjoin(ORIGINAL, ORIGINAL.id == LedgerTransaction.reverses_id)
             .group_by(LedgerEntry.campaign_id, LedgerEntry.account, KIND))
    return db.session.execute(_recorded_in(query, start, end)).all()


def _owed_in(start, end):
    """[(village_id, owed)] of the household_payable entries of transactions recorded in [start, end)."""
    query = (select(LedgerEntry.household_id, LedgerEntry.account, -func.sum(LedgerEntry.amount_fen))
             .where(LedgerEntry.household_id.is_not(None)).group_by(LedgerEntry.household_id, LedgerEntry.account))
    # the account is picked here, not in SQL, so that no plan reads the whole account's entries by its index
    by_household = [(household_id, owed) for household_id, account, owed
                    in db.session.execute(_recorded_in(query, start, end)) if account == "household_payable"]
    village_of = {}  # households never move, so their villages are read after summing (the plan stays on the window)
    ids = [household_id for household_id, _owed in by_household]
    for begin in range(0, len(ids), 5000):
        village_of.update(db.session.execute(select(Household.id, Household.village_id)
                                             .where(Household.id.in_(ids[begin:begin + 5000]))).all())
    owed = defaultdict(int)
    for household_id, amount in by_household:
        owed[village_of[household_id]] += int(amount)
    return list(owed.items())


def _recorded_in(query, start, end):
    recorded = select(LedgerTransaction.id)  # the window as ids, so the plan starts from the recorded_at index
    if start is not None:
        recorded = recorded.where(LedgerTransaction.recorded_at >= start)
    if end is not None:
        recorded = recorded.where(LedgerTransaction.recorded_at < end)
    if start is not None or end is not None:
        query = query.where(LedgerEntry.transaction_id.in_(recorded))
    return query


def add_recorded(start, end):
    """Add the transactions recorded in [start, end) (start None: from the beginning) to the rollup; not committed.

    The caller holds the summary's watermark (it has just moved it from ``start`` to ``end``), so no
    other refresh adds the same window."""
    existing = {(row.campaign_id, row.account, row.kind): row for row in db.session.scalars(select(LedgerRollup))}
    new_rows = []
    for campaign_id, account, kind, net, gross in _summed(start, end):
        row = existing.get((campaign_id, account, kind))
        if row is None:
            new_rows.append({"campaign_id": campaign_id, "account": account, "kind": kind,
                             "net_fen": int(net), "gross_fen": int(gross)})
        else:
            row.net_fen += int(net)
            row.gross_fen += int(gross)
    if new_rows:
        db.session.execute(insert(LedgerRollup), new_rows)
    villages = {row.village_id: row for row in db.session.scalars(select(VillageOwedRollup))}
    new_villages = []
    for village_id, owed in _owed_in(start, end):
        if village_id in villages:
            villages[village_id].owed_fen += int(owed)
        else:
            new_villages.append({"village_id": village_id, "owed_fen": int(owed)})
    if new_villages:
        db.session.execute(insert(VillageOwedRollup), new_villages)
    db.session.flush()


def ledger_sums(summarised_before):
    """{(campaign_id, account, kind): [net, gross]} over the whole ledger: the rollup plus what was recorded since
    ``summarised_before`` (None: the rollup is empty and everything is summed live)."""
    sums = defaultdict(lambda: [0, 0])
    rolled = db.session.execute(select(LedgerRollup.campaign_id, LedgerRollup.account, LedgerRollup.kind,
                                       LedgerRollup.net_fen, LedgerRollup.gross_fen)).all() \
        if summarised_before is not None else []
    for campaign_id, account, kind, net, gross in [*rolled, *_summed(summarised_before, None)]:
        total = sums[campaign_id, account, kind]
        total[0] += int(net)
        total[1] += int(gross)
    return sums


def owed_by_village(summarised_before):
    """{village_id: what its households are owed in all} over the whole ledger, villages owed nothing left out."""
    owed = defaultdict(int)
    rolled = db.session.execute(select(VillageOwedRollup.village_id, VillageOwedRollup.owed_fen)).all() \
        if summarised_before is not None else []
    for village_id, amount in [*rolled, *_owed_in(summarised_before, None)]:
        owed[village_id] += int(amount)
    return {village_id: amount for village_id, amount in owed.items() if amount}
