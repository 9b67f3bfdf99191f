"""Packing a collected round: one box per package bought, each with an unguessable trace code and the
household batches (which households' accepted units) that went into it.
"""

import secrets
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Box, BoxBatch, CollectionRecord, Delivery, Pledge, PledgeLine
from courtyard.services.operations import audit

TRACE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed from a label
TRACE_LENGTH = 12  # 60 bits


class PackResult(NamedTuple):
    boxes: int
    short_boxes: int  # boxes missing some units because not enough was accepted


def new_trace_code():
    """A fresh random trace code not used by any box."""
    while True:
        code = "".join(secrets.choice(TRACE_ALPHABET) for _ in range(TRACE_LENGTH))
        if not db.session.scalar(select(Box.id).where(Box.trace_code == code)):
            return code


def pack_round(actor, round_, now):
    """Pack every delivery of a collected round; the round and its deliveries become ``packed``."""
    if round_.state != "collected":
        raise DomainError(_l("Only a round whose collection is finished can be packed."))
    pool = {}
    for record in db.session.scalars(select(CollectionRecord).where(
            CollectionRecord.round_id == round_.id, CollectionRecord.units_accepted > 0)
            .order_by(CollectionRecord.household_id, CollectionRecord.id)):
        pool.setdefault(record.item_id, []).append([record, record.units_accepted])
    contents = [(line.item_id, line.quantity) for line in round_.offer.package.lines]
    boxes = short = 0
    deliveries = db.session.scalars(select(Delivery).where(Delivery.round_id == round_.id, Delivery.state == "collected",
                                                           Delivery.reshipped_from_id.is_(None))
                                    .order_by(Delivery.id)).all()
    for delivery in deliveries:
        lines = db.session.scalars(select(PledgeLine).join(Pledge).where(
            PledgeLine.offer_id == round_.offer_id, PledgeLine.address_id == delivery.address_id,
            Pledge.unit_id == delivery.unit_id, Pledge.state == "paid").order_by(PledgeLine.id)).all()
        for line in lines:
            for _ in range(line.quantity):
                box = Box(delivery_id=delivery.id, pledge_line_id=line.id, trace_code=new_trace_code(), packed_at=now)
                complete = True
                for item_id, quantity in contents:
                    complete &= _fill_from(pool.get(item_id, []), box, item_id, quantity)
                db.session.add(box)
                db.session.flush()
                boxes += 1
                short += not complete
        delivery.state, delivery.packed_at = "packed", now
    round_.state, round_.packed_at = "packed", now
    audit.record(actor, "round_packed", "delivery_round", round_.id, boxes=boxes, short_boxes=short)
    db.session.commit()
    return PackResult(boxes, short)


def _fill_from(sources, box, item_id, quantity):
    """Take ``quantity`` units of an item from the accepted batches into ``box``; False if there were not enough."""
    needed = quantity
    for source in sources:
        if not needed:
            break
        record, left = source
        take = min(left, needed)
        if take:
            box.batches.append(BoxBatch(record_id=record.id, household_id=record.household_id, item_id=item_id, units=take))
            source[1] -= take
            needed -= take
    return needed == 0


def copy_boxes(delivery, into, now):
    """New boxes (new trace codes) in ``into`` with the same contents and origins as ``delivery``'s boxes."""
    for box in delivery.boxes:
        db.session.add(Box(delivery_id=into.id, pledge_line_id=box.pledge_line_id, trace_code=new_trace_code(),
                           packed_at=now, batches=[BoxBatch(record_id=b.record_id, household_id=b.household_id,
                                                            item_id=b.item_id, units=b.units) for b in box.batches]))
        db.session.flush()


def packing_list(delivery):
    """A delivery's boxes for its packing list: ``[(Box, [(item, units)])]``."""
    rows = []
    for box in delivery.boxes:
        units = {}
        for batch in box.batches:
            units[batch.item] = units.get(batch.item, 0) + batch.units
        rows.append((box, sorted(units.items(), key=lambda pair: pair[0].name)))
    return rows
