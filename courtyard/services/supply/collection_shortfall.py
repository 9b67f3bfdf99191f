"""Collection-day shortfall: a household brings fewer units than it was allocated.

The missing units go, by the same rule as the allocation (lowest level first), to the other
households of the run that have spare capacity for the item. :func:`propose` computes the proposal
without saving anything, for the team to look at; :func:`confirm` applies the same proposal (the
engine is deterministic), logs every changed line as an adjustment with the team's reason, and
brings the run's summary up to date. It works on published runs too: the notice then shows what is
actually supplied.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.allocation import allocate
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages import events as message_events
from courtyard.models import AllocationAdjustment, AllocationLine, Household
from courtyard.services.allocation.allocation_summary import gini
from courtyard.services.allocation.tiers import current_weights
from courtyard.services.operations import audit


def propose(run, household_id, item_id, delivered):
    """``({household_id: extra units}, units still missing)`` if the household brings only ``delivered``."""
    line = _line(run, household_id, item_id)
    if isinstance(delivered, bool) or not isinstance(delivered, int) or not 0 <= delivered <= line.units:
        raise DomainError(_l("Enter a whole number of units from 0 to the capacity, %(n)s.", n=line.units), "units")
    missing = line.units - delivered
    spare = [l for l in run.lines if l.item_id == item_id and l.household_id != household_id and l.capacity > l.units]
    if not missing or not spare:
        return {}, missing
    weights, tiers = current_weights(), _tiers({l.household_id for l in spare})
    income = _income(run)
    prior = run.summary.get("prior_income_fen", {})
    instance = {
        "items": [{"id": "item", "price_fen": line.price_fen, "demand": missing}],
        "households": [{"id": str(l.household_id), "weight": weights[tiers[l.household_id]],
                        "prior_income_fen": prior.get(str(l.household_id), 0) + income.get(l.household_id, 0),
                        "capacity": {"item": l.capacity - l.units}} for l in spare],
    }
    result = allocate(instance)
    return {int(row["household"]): row["units"] for row in result["allocation"]}, result["shortfall"]["item"]


def confirm(actor, run, household_id, item_id, delivered, reason, now):
    """Apply :func:`propose`'s result: each changed line is logged with ``reason``; returns the proposal."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give a reason for the change."), "reason")
    extra, still_missing = propose(run, household_id, item_id, delivered)
    lines = {l.household_id: l for l in run.lines if l.item_id == item_id}
    changes = {household_id: delivered, **{h: lines[h].units + units for h, units in extra.items()}}
    for changed_id, after in changes.items():
        line = lines[changed_id]
        db.session.add(AllocationAdjustment(run_id=run.id, household_id=changed_id, item_id=item_id, before=line.units,
                                            after=after, reason=reason, actor_id=getattr(actor, "id", None), at=now))
        line.units = after
    line = lines[household_id]
    line.pinned, line.pin_reason = True, reason
    refresh_summary(run)
    audit.record(actor, "collection_shortfall_reallocated", "allocation_run", run.id, household_id=household_id,
                 item_id=item_id, delivered=delivered, extra={str(h): u for h, u in extra.items()},
                 still_missing=still_missing, reason=reason)
    message_events.shortfall_moved(run, item_id, extra, still_missing, now)
    db.session.commit()
    return extra, still_missing


def _line(run, household_id, item_id):
    line = db.session.scalar(select(AllocationLine).where(
        AllocationLine.run_id == run.id, AllocationLine.household_id == household_id, AllocationLine.item_id == item_id))
    if line is None:
        raise DomainError(_l("This household declared no capacity for this item."), "item")
    return line


def _tiers(household_ids):
    return dict(db.session.execute(select(Household.id, Household.tier).where(Household.id.in_(household_ids))).all())


def _income(run):
    income = {}
    for line in run.lines:
        income[line.household_id] = income.get(line.household_id, 0) + line.income_fen
    return income


def refresh_summary(run):
    """Bring allocated, shortfall, reach, income, levels and Gini up to date with the lines."""
    summary = dict(run.summary)
    income, prior = _income(run), summary.get("prior_income_fen", {})
    weights, tiers = current_weights(), _tiers({int(h) for h in prior})
    items = {key: dict(row) for key, row in summary.get("items", {}).items()}
    for key, row in items.items():
        row["allocated"] = sum(l.units for l in run.lines if str(l.item_id) == key)
        row["shortfall"] = row["demand"] - row["allocated"]
    levels = {h: (prior[h] + income.get(int(h), 0)) / weights[tiers[int(h)]] for h in prior if int(h) in tiers}
    incomes = [income.get(int(h), 0) for h in prior]
    summary.update(items=items, levels=levels, income_fen=sum(incomes),
                   households_reached=sum(1 for fen in incomes if fen > 0), gini=round(gini(incomes), 4))
    if levels:
        ordered = sorted(levels.values())
        middle = len(ordered) // 2
        median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        summary.update(level_lowest=ordered[0], level_median=median, level_highest=ordered[-1])
    run.summary = summary
