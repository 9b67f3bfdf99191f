"""Problems a unit reports with a delivery, and the county's answer: refund, re-ship or a note.

The county is to answer within ``RESPONSE_TIME``; whether it did is kept (``answered_in_time``).
"""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages import events as message_events
from courtyard.models import RESOLUTIONS, Delivery, DeliveryComplaint, Pledge, PledgeLine
from courtyard.services.deliveries import packing
from courtyard.services.operations import audit
from courtyard.services.payments import card_settlement

RESPONSE_TIME = timedelta(hours=48)
RESHIP_PROMISE = timedelta(hours=48)
REPORTABLE = ("shipped", "delivered", "confirmed")


def report(actor, delivery, description, photo, now):
    """The unit reports a problem (with an optional photo file name from ``save_photo``)."""
    if delivery.state not in REPORTABLE:
        raise DomainError(_l("A problem can be reported once the delivery is on its way."))
    description = (description or "").strip()
    if not description:
        raise DomainError(_l("Describe the problem."), "description")
    complaint = DeliveryComplaint(delivery_id=delivery.id, description=description[:2000], photo=photo,
                                  reported_by_id=getattr(actor, "id", None), reported_at=now,
                                  response_due_at=now + RESPONSE_TIME)
    db.session.add(complaint)
    db.session.flush()
    audit.record(actor, "delivery_problem_reported", "delivery_complaint", complaint.id, delivery_id=delivery.id)
    message_events.complaint_reported(complaint, now)
    db.session.commit()
    return complaint


def resolve(actor, complaint, resolution, note, now, amount_fen=None):
    """Answer a complaint: ``refund`` ``amount_fen`` of the unit's pledge, ``reship`` the same contents as a
    new delivery, or just a ``note``. Returns the complaint."""
    if complaint.resolved_at is not None:
        raise DomainError(_l("This problem is already resolved."))
    if resolution not in RESOLUTIONS:
        raise DomainError(_l("Choose how to resolve it."), "resolution")
    note = (note or "").strip()
    if resolution == "note" and not note:
        raise DomainError(_l("Write the note to the unit."), "note")
    delivery = complaint.delivery
    if resolution == "reship" and not delivery.boxes:
        raise DomainError(_l("Only a packed delivery can be re-shipped."), "resolution")
    if resolution == "refund" and (isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0):
        raise DomainError(_l("The amount to refund must be more than zero."), "amount")
    complaint.resolution, complaint.resolution_note = resolution, note
    complaint.resolved_at, complaint.resolved_by_id = now, getattr(actor, "id", None)
    if resolution == "reship":
        again = Delivery(round_id=delivery.round_id, unit_id=delivery.unit_id, address_id=delivery.address_id,
                         state="packed", promised_by=now + RESHIP_PROMISE, reshipped_from_id=delivery.id,
                         created_at=now, packed_at=now)
        db.session.add(again)
        db.session.flush()
        packing.copy_boxes(delivery, again, now)
        complaint.reshipment_id = again.id
    audit.record(actor, "delivery_problem_resolved", "delivery_complaint", complaint.id, resolution=resolution,
                 amount_fen=amount_fen, note=note)
    if resolution == "refund":
        complaint.refund_fen = amount_fen
        db.session.flush()
        card_settlement.refund(pledge_of(delivery), amount_fen, note or "delivery problem", actor, now=now)  # commits
    else:
        db.session.commit()
    return complaint


def pledge_of(delivery):
    """The paid pledge of the unit behind this delivery (the one with most left to refund)."""
    pledges = db.session.scalars(select(Pledge).join(PledgeLine).where(
        PledgeLine.offer_id == delivery.round.offer_id, PledgeLine.address_id == delivery.address_id,
        Pledge.unit_id == delivery.unit_id, Pledge.state == "paid").distinct()).all()
    if not pledges:
        raise DomainError(_l("Only a paid pledge can be refunded."))
    return max(pledges, key=lambda p: (p.total_fen - p.refunded_fen, -p.id))


def open_complaints():
    return db.session.scalars(select(DeliveryComplaint).where(DeliveryComplaint.resolved_at.is_(None))
                              .options(joinedload(DeliveryComplaint.delivery).joinedload(Delivery.unit))
                              .order_by(DeliveryComplaint.response_due_at)).all()
