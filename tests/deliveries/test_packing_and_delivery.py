"""Packing with trace codes, the delivery's steps and on-time rate, and problems reported and resolved."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import AllocationLine, AllocationRun, Box, Delivery, DeliveryComplaint, DeliveryRound, Pledge, Refund
from courtyard.services.deliveries import deliveries, delivery_complaints, packing
from courtyard.services.deliveries.packing import TRACE_ALPHABET
from courtyard.services.supply import collection
from tests.deliveries.test_collection import allocated


def packed(app, make, reject=0, **options):
    """A round allocated, everything brought (``reject`` units of the first household rejected), collected, packed."""
    r = allocated(app, make, **options)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        for household_id in list(r.lines):
            units = db.session.scalar(select(AllocationLine.units).join(AllocationRun).where(
                AllocationRun.round_id == round_.id, AllocationLine.household_id == household_id))
            if units:
                bad = min(reject, units)
                collection.record_collection(None, round_, household_id, r.item_id, units - bad, bad,
                                             "质量不合格" if bad else "", r.now)
                reject -= bad
        collection.finish_collection(None, round_, r.village.id, r.now)
        r.result = packing.pack_round(None, round_, r.now)
        r.delivery_id = db.session.scalar(select(Delivery.id))
    return r


def test_every_package_bought_is_a_box_with_a_unique_trace_code_and_its_households(app, make):
    """Do 3 packages bought become 3 boxes, each with a 12-character code of the unambiguous alphabet, each
    holding the package's 2 units from named households?"""
    r = packed(app, make)
    assert r.result == (3, 0)
    with app.app_context():
        boxes = db.session.scalars(select(Box)).all()
        codes = {box.trace_code for box in boxes}
        assert len(codes) == 3
        assert all(len(code) == 12 and set(code) <= set(TRACE_ALPHABET) for code in codes)
        for box in boxes:
            assert sum(b.units for b in box.batches) == 2
            assert {b.household_id for b in box.batches} <= set(r.lines)
        delivery = db.session.get(Delivery, r.delivery_id)
        assert delivery.state == "packed"
        assert [(item.id, units) for item, units in deliveries.contents(delivery)] == [(r.item_id, 6)]
        assert all("*" in name for name, *_ in deliveries.origins(delivery))


def test_a_rejected_unit_is_made_up_by_another_household(app, make):
    """With one unit rejected and others able to make it up, are all boxes still full?"""
    r = packed(app, make, reject=1, capacities=(4, 4, 4))
    assert r.result == (3, 0)


def test_a_round_can_only_be_packed_once_collection_is_finished(app, make):
    """Is packing refused while collection is still going on?"""
    r = allocated(app, make)
    with app.app_context():
        with pytest.raises(DomainError):
            packing.pack_round(None, db.session.get(DeliveryRound, r.round_ids[0]), r.now)


def test_a_delivery_moves_through_its_steps_and_counts_as_on_time(app, make):
    """Shipped, then delivered before the promised time, then confirmed by the unit: is it on time, and does
    the rate count it? Is a step out of order refused?"""
    r = packed(app, make)
    with app.app_context():
        delivery = db.session.get(Delivery, r.delivery_id)
        with pytest.raises(DomainError):
            deliveries.confirm_receipt(None, delivery, r.now)
        deliveries.advance(None, delivery, r.now)
        assert delivery.state == "shipped" and delivery.shipped_at == r.now
        deliveries.advance(None, delivery, delivery.promised_by - timedelta(hours=1))
        deliveries.confirm_receipt(None, delivery, delivery.promised_by)
        assert delivery.state == "confirmed" and delivery.on_time
        assert deliveries.on_time_rate([delivery]).percent == 100
        with pytest.raises(DomainError):
            deliveries.advance(None, delivery, r.now)


def test_late_delivery_lowers_the_on_time_rate(app, make):
    """A delivery marked delivered after its promised time: does the rate show 0 %?"""
    r = packed(app, make)
    with app.app_context():
        delivery = db.session.get(Delivery, r.delivery_id)
        deliveries.advance(None, delivery, r.now)
        deliveries.advance(None, delivery, delivery.promised_by + timedelta(minutes=1))
        assert delivery.on_time is False
        assert deliveries.on_time_rate([delivery]) == (0, 1)


def test_a_problem_is_refunded_within_the_response_time(app, make):
    """A unit reports broken goods; the county refunds 30 yuan the next day: is the pledge refunded, and the
    answer counted in time?"""
    r = packed(app, make)
    with app.app_context():
        delivery = db.session.get(Delivery, r.delivery_id)
        deliveries.advance(None, delivery, r.now)
        with pytest.raises(DomainError) as error:
            delivery_complaints.report(None, delivery, "  ", None, r.now)
        assert error.value.field == "description"
        complaint = delivery_complaints.report(None, delivery, "两袋土豆压坏了", None, r.now)
        assert complaint.response_due_at == r.now + timedelta(hours=48)
        with pytest.raises(DomainError) as error:
            delivery_complaints.resolve(None, complaint, "refund", "", r.now, amount_fen=0)
        assert error.value.field == "amount"
        db.session.rollback()
        complaint = db.session.get(DeliveryComplaint, complaint.id)
        delivery_complaints.resolve(None, complaint, "refund", "压坏的两袋退款", r.now + timedelta(days=1), amount_fen=3000)
        assert complaint.answered_in_time
        assert db.session.scalar(select(Pledge.refunded_fen)) == 3000
        assert db.session.scalar(select(Refund.amount_fen)) == 3000
        with pytest.raises(DomainError):
            delivery_complaints.resolve(None, complaint, "note", "again", r.now)


def test_reshipping_makes_a_new_delivery_with_the_same_contents(app, make):
    """Does a re-ship make a new packed delivery to the same address with new trace codes and the same origins?"""
    r = packed(app, make)
    with app.app_context():
        delivery = db.session.get(Delivery, r.delivery_id)
        deliveries.advance(None, delivery, r.now)
        complaint = delivery_complaints.report(None, delivery, "没收到", None, r.now)
        delivery_complaints.resolve(None, complaint, "reship", "", r.now + timedelta(hours=50))
        assert complaint.answered_in_time is False
        again = db.session.get(Delivery, complaint.reshipment_id)
        assert (again.state, again.address_id, again.reshipped_from_id) == ("packed", delivery.address_id, delivery.id)
        assert len(again.boxes) == len(delivery.boxes)
        assert not {b.trace_code for b in again.boxes} & {b.trace_code for b in delivery.boxes}
        assert deliveries.origins(again) == deliveries.origins(delivery)
