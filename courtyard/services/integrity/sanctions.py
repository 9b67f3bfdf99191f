"""Sanctions: a cooperative suspended from new campaigns, a household paused from an item.

Each is an explicit decision with a reason, audited, and lifted again with a reason. The
declaration paths refuse while one holds (:func:`check_may_declare`), and allocation gives a
paused household none of the item (:func:`paused_pairs`). Services flush; the caller commits.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Cooperative, ProduceItem, Sanction
from courtyard.services.operations import audit


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the reason for the decision."), "reason")
    return reason


def in_force():
    return select(Sanction).where(Sanction.lifted_at.is_(None))


def suspend_cooperative(actor, cooperative, reason, now):
    reason = _reason(reason)
    if db.session.scalar(in_force().where(Sanction.cooperative_id == cooperative.id)):
        raise DomainError(_l("This cooperative is already suspended."))
    sanction = Sanction(kind="cooperative_suspended", cooperative_id=cooperative.id, reason=reason,
                        decided_by_id=getattr(actor, "id", None), decided_at=now)
    cooperative.suspended = True
    db.session.add(sanction)
    db.session.flush()
    audit.record(actor, "sanction_decided", "sanction", sanction.id, kind=sanction.kind,
                 cooperative_id=cooperative.id, reason=reason)
    return sanction


def pause_household(actor, household, item_id, reason, now):
    reason = _reason(reason)
    if db.session.get(ProduceItem, item_id) is None:
        raise DomainError(_l("Choose an item from the list."), "item")
    if db.session.scalar(in_force().where(Sanction.household_id == household.id, Sanction.item_id == item_id)):
        raise DomainError(_l("This household is already paused from this item."), "item")
    sanction = Sanction(kind="household_paused", household_id=household.id, item_id=item_id, reason=reason,
                        decided_by_id=getattr(actor, "id", None), decided_at=now)
    db.session.add(sanction)
    db.session.flush()
    audit.record(actor, "sanction_decided", "sanction", sanction.id, kind=sanction.kind, household_id=household.id,
                 item_id=item_id, reason=reason)
    return sanction


def lift(actor, sanction, reason, now):
    """Reverse a decision, with a reason."""
    reason = _reason(reason)
    if sanction.lifted_at is not None:
        raise DomainError(_l("This decision was already lifted."))
    sanction.lifted_at, sanction.lift_reason, sanction.lifted_by_id = now, reason, getattr(actor, "id", None)
    if sanction.cooperative_id is not None:
        db.session.get(Cooperative, sanction.cooperative_id).suspended = False
    db.session.flush()
    audit.record(actor, "sanction_lifted", "sanction", sanction.id, reason=reason)
    return sanction


def paused_pairs(household_ids):
    """``{(household_id, item_id)}`` paused now."""
    household_ids = list(household_ids)
    if not household_ids:
        return set()
    return {(s.household_id, s.item_id) for s in db.session.scalars(
        in_force().where(Sanction.household_id.in_(household_ids)))}


def check_may_declare(household, item_id, field="units"):
    """Refuse a declaration of an item a household is paused from."""
    if (household.id, item_id) in paused_pairs([household.id]):
        raise DomainError(_l("%(name)s is paused from this item by a county decision.", name=household.head_name), field)


def in_force_for(cooperative_ids=(), household_ids=()):
    """The sanctions in force on these cooperatives or households, newest first."""
    query = in_force().order_by(Sanction.decided_at.desc())
    return db.session.scalars(query.where(Sanction.cooperative_id.in_(list(cooperative_ids)) |
                                          Sanction.household_id.in_(list(household_ids)))).all()


