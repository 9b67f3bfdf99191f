"""At the deadline (or when the coordinator closes early) the choices become ONE pledge of the unit.

The pledge has a line per package and delivery point, summed over the choices, priced as chosen,
paid by the unit as any pledge (bank transfer, or card on the pledge's page). The choices' stock is
handed to the pledge in the same transaction (given back, then reserved by the pledge), so nobody
else can take it in between. If the pledge is refused (the campaign closed, the budget ran out) the
offer fails with the reason and the stock is given back. The ``convert-staff-offers`` job runs this
for every offer past its deadline; it is safe to run twice (only open offers are taken).
"""

from collections import Counter

from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import StaffChoice, StaffOffer
from courtyard.services.campaigns import stock
from courtyard.services.operations import audit
from courtyard.services.operations.checkpoint import checkpoint
from courtyard.services.pledges.pledges import LineInput, create_pledge


def convert_due(now):
    """Convert every open offer whose deadline has come; returns how many became pledges."""
    due = db.session.scalars(select(StaffOffer.id).where(StaffOffer.state == "open", StaffOffer.deadline_at <= now)
                             .order_by(StaffOffer.id)).all()
    return sum(convert(db.session.get(StaffOffer, offer_id), None, now) is not None for offer_id in due)


def convert(offer, actor, now):
    """Turn ``offer``'s choices into one pledge; returns it, or None (no choices, or refused: see ``note``). Commits."""
    if offer.state != "open":
        return offer.pledge
    choices = db.session.scalars(select(StaffChoice).where(StaffChoice.offer_id == offer.id)).all()
    held, lines = Counter(), Counter()
    for choice in choices:
        for line in choice.lines:
            held[line.campaign_package_id] += line.quantity
            lines[(line.campaign_package_id, choice.address_id)] += line.quantity
    offer_id = offer.id
    if not lines:
        _finish(offer, "converted", now, "")
        checkpoint()
        return None

    def mark(pledge):
        _finish(db.session.get(StaffOffer, offer_id), "converted", now, "", pledge)

    try:
        return create_pledge(actor, offer.unit_id, offer.campaign_id,
                             [LineInput(pid, address_id, q) for (pid, address_id), q in sorted(lines.items())],
                             offer.method, now, before_commit=mark, stock_held=dict(held))
    except DomainError as error:  # rolled back: the choices still hold their stock
        offer = db.session.get(StaffOffer, offer_id)
        stock.give_back(dict(held))
        _finish(offer, "failed", now, str(error.message))
        checkpoint()
        return None


def _finish(offer, state, now, note, pledge=None):
    offer.state, offer.closed_at, offer.note = state, now, note[:500]
    if pledge is not None:
        offer.pledge_id = pledge.id
    audit.record(None, f"staff_offer_{state}", "staff_offer", offer.id, pledge_id=getattr(pledge, "id", None))
