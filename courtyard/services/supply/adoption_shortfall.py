"""Adoption (认养) shortfall at collection: a goose dies or is rejected, and its adoption must still be honoured.

Never dropped: :func:`propose` names the replacement, the household of the run's village with room
left for the whole package (its declaration less what the run already gives it, in lines and
adoptions) whose level once it raises the adoption is lowest (poorest first, by the same weights
as the allocation). :func:`resolve`
moves the adoption there; when no household has room, the unit is paid back the package's price
instead and the adoption ends. Either way the unit and the households are told
(:mod:`courtyard.messages.supply_notices`) and the change is audited with the team's reason.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages import supply_notices
from courtyard.models import CapacityDeclaration, Household
from courtyard.services.allocation.tiers import current_weights
from courtyard.services.operations import audit
from courtyard.services.payments import card_settlement


def room_for(adoption):
    """``{household_id: whole packages}`` each other active household of the village can still raise."""
    run, package = adoption.run, adoption.package
    households = db.session.scalars(select(Household).where(Household.village_id == run.village_id,
                                                            Household.active.is_(True),
                                                            Household.id != adoption.household_id)).all()
    declared = {(d.household_id, d.item_id): d.units for d in db.session.scalars(select(CapacityDeclaration).where(
        CapacityDeclaration.campaign_id == run.campaign_id,
        CapacityDeclaration.household_id.in_([h.id for h in households])))}
    used = {}
    for line in run.lines:
        used[(line.household_id, line.item_id)] = used.get((line.household_id, line.item_id), 0) + line.units
    for other in run.adoptions:
        for content in other.package.lines:
            key = (other.household_id, content.item_id)
            used[key] = used.get(key, 0) + content.quantity
    return {h.id: min((declared.get((h.id, c.item_id), 0) - used.get((h.id, c.item_id), 0)) // c.quantity
                      for c in package.lines) for h in households}


def propose(adoption):
    """The household that would take the adoption over (poorest first), or None: the unit is then refunded."""
    room = {h: n for h, n in room_for(adoption).items() if n > 0}
    if not room:
        return None
    run = adoption.run
    weights = current_weights()
    tiers = dict(db.session.execute(select(Household.id, Household.tier).where(Household.id.in_(list(room)))).all())
    prior = run.summary.get("prior_income_fen", {})
    income = {}
    for line in run.lines:
        income[line.household_id] = income.get(line.household_id, 0) + line.income_fen
    for other in run.adoptions:
        income[other.household_id] = income.get(other.household_id, 0) + other.income_fen

    def level(household_id):  # once it raises the adoption: the engine's water level, so the poorer tier wins a tie
        earned = prior.get(str(household_id), 0) + income.get(household_id, 0) + adoption.income_fen
        return earned / weights[tiers[household_id]]

    return db.session.get(Household, min(room, key=lambda h: (level(h), h)))


def resolve(actor, adoption, reason, now):
    """Move the adoption to :func:`propose`'s household, or refund the unit; returns ``("replaced", household)``
    or ``("refunded", amount_fen)``. Committed."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give a reason for the change."), "reason")
    if adoption.run.state != "published":
        raise DomainError(_l("Publish the allocation first; a draft is computed again instead."))
    pledge_line, unit = adoption.pledge_line, adoption.pledge_line.pledge.unit
    replacement = propose(adoption)
    if replacement is not None:
        before = adoption.household
        adoption.household_id = replacement.id
        db.session.flush()
        audit.record(actor, "adoption_replaced", "adoption", adoption.id, before=before.id, after=replacement.id,
                     reason=reason)
        supply_notices.adoption_replaced(adoption, before, unit, reason, now)
        db.session.commit()
        return "replaced", replacement
    amount = pledge_line.unit_price_fen
    run = adoption.run
    summary = dict(run.summary)
    adopted = {key: dict(row) for key, row in summary.get("adoptions", {}).items()}
    row = adopted.get(str(adoption.package_id))
    if row:
        row["demand"], row["allocated"] = row["demand"] - 1, row["allocated"] - 1
    summary["adoptions"] = adopted
    run.summary = summary
    audit.record(actor, "adoption_refunded", "adoption", adoption.id, household_id=adoption.household_id,
                 pledge_line_id=pledge_line.id, amount_fen=amount, reason=reason)
    supply_notices.adoption_refunded(adoption, unit, amount, reason, now)
    db.session.delete(adoption)
    db.session.flush()
    card_settlement.refund(pledge_line.pledge, amount, reason, actor, now=now)  # commits
    return "refunded", amount
