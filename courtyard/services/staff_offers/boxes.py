"""Boxes by person: each packed box of a staff offer's pledge is one person's, and is ticked when handed over.

When a round is packed, the boxes of a delivery whose pledge came from a staff offer are given, in
order, to the people who chose that package at that delivery point (by name, then roll order), as
many boxes as each chose. The pack list shows the name, the outside label a masked one, the
handover sheet (A4) a signature column; the coordinator ticks each box on the phone page.
"""

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Box, PledgeLine, StaffBox, StaffChoice, StaffMember, StaffOffer
from courtyard.services.operations import audit


def assign_delivery(delivery):
    """Give the delivery's boxes that belong to a staff offer's pledge to the people who chose them (flushes)."""
    boxes = db.session.scalars(select(Box).join(PledgeLine, PledgeLine.id == Box.pledge_line_id)
                               .join(StaffOffer, StaffOffer.pledge_id == PledgeLine.pledge_id)
                               .where(Box.delivery_id == delivery.id,
                                      ~select(StaffBox.id).where(StaffBox.box_id == Box.id).exists())
                               .order_by(Box.id)).all()
    if not boxes:
        return 0
    waiting = defaultdict(list)  # campaign package id → [choice id, one per box]
    pledge_ids = {b.pledge_line.pledge_id for b in boxes}
    choices = db.session.scalars(select(StaffChoice).join(StaffOffer).join(StaffMember)
                                 .where(StaffOffer.pledge_id.in_(pledge_ids), StaffChoice.address_id == delivery.address_id)
                                 .order_by(StaffMember.name, StaffMember.id)).all()
    for choice in choices:
        for line in choice.lines:
            waiting[line.campaign_package_id].extend([choice.id] * line.quantity)
    given = 0
    for box in boxes:
        queue = waiting.get(box.pledge_line.offer_id)
        if queue:
            db.session.add(StaffBox(box_id=box.id, choice_id=queue.pop(0)))
            given += 1
    db.session.flush()
    return given


def names_by_box(box_ids):
    """{box id: the person's name} for the boxes that are someone's."""
    if not box_ids:
        return {}
    rows = db.session.execute(select(StaffBox.box_id, StaffMember.name).join(StaffChoice, StaffChoice.id == StaffBox.choice_id)
                              .join(StaffMember, StaffMember.id == StaffChoice.member_id)
                              .where(StaffBox.box_id.in_(list(box_ids))))
    return dict(rows.all())


@dataclass(frozen=True)
class HandoverRow:
    staff_box: StaffBox
    name: str
    phone: str
    package: str
    trace_code: str


def handover_rows(delivery_id):
    """The person's boxes of one delivery (one delivery point of a round), by name."""
    boxes = db.session.scalars(select(StaffBox).join(Box, Box.id == StaffBox.box_id)
                               .join(StaffChoice, StaffChoice.id == StaffBox.choice_id)
                               .join(StaffMember, StaffMember.id == StaffChoice.member_id)
                               .where(Box.delivery_id == delivery_id).order_by(StaffMember.name, Box.id)).all()
    return [HandoverRow(b, b.choice.member.name, b.choice.member.phone, b.box.pledge_line.offer.package.name,
                        b.box.trace_code) for b in boxes]


def tick(actor, staff_box, now):
    """The coordinator hands the box over (flushes); ticking twice is refused with when it was handed over."""
    if staff_box.handed_over_at is not None:
        raise DomainError(_l("This box was already handed over."))
    staff_box.handed_over_at, staff_box.handed_over_by_id = now, getattr(actor, "id", None)
    audit.record(actor, "staff_box_handed_over", "staff_box", staff_box.id)
    db.session.flush()
