"""Collection day: what households bring is recorded; a rejection is re-allocated; the ledger can read
what was accepted."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import AllocationLine, AllocationRun, Delivery, DeliveryRound
from courtyard.services.deliveries import delivery_rounds
from courtyard.services.money import ledger
from courtyard.services.supply import collection
from tests.deliveries.rounds import planned_round


def allocated(app, make, **options):
    r = planned_round(app, make, **options)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        delivery_rounds.allocate_round(None, round_, round_.cutoff_at)
        r.now = round_.cutoff_at + timedelta(days=2)
        r.lines = {l.household_id: l.units for l in db.session.scalars(
            select(AllocationLine).join(AllocationRun).where(AllocationRun.round_id == round_.id))}
    return r


def test_recording_returns_what_was_accepted_for_the_ledger(app, make):
    """Does recording a household's full delivery return (household, item, units, unit price), and list it
    among the round's accepted goods?"""
    r = allocated(app, make)
    household_id = next(h for h, units in r.lines.items() if units)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        goods = collection.record_collection(None, round_, household_id, r.item_id, r.lines[household_id], 0, "", r.now)
        assert (goods.household_id, goods.item_id, goods.units, goods.unit_price_fen) == (
            household_id, r.item_id, r.lines[household_id], 1500)
        assert goods.amount_fen == r.lines[household_id] * 1500
        assert collection.accepted_goods(round_.id) == [goods]
        assert ledger.owed_fen(household_id) == goods.amount_fen  # the household is now owed, in the ledger


def test_rejected_units_earn_nothing_in_the_ledger(app, make):
    """Are only the accepted units owed to the household, not the rejected ones?"""
    r = allocated(app, make)
    household_id = next(h for h, units in r.lines.items() if units >= 2)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        collection.record_collection(None, round_, household_id, r.item_id, r.lines[household_id] - 1, 1, "质量不合格", r.now)
        assert ledger.owed_fen(household_id) == (r.lines[household_id] - 1) * 1500


def test_a_rejection_is_reallocated_to_households_with_spare_capacity(app, make):
    """When one unit is rejected for quality, does the household's line drop by one and another household
    with spare capacity take it over, keeping the round's total?"""
    r = allocated(app, make, capacities=(4, 4, 4))
    household_id = next(h for h, units in r.lines.items() if units)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        units = r.lines[household_id]
        collection.record_collection(None, round_, household_id, r.item_id, units - 1, 1, "菜叶发黄", r.now)
        lines = {l.household_id: l.units for l in db.session.scalars(
            select(AllocationLine).join(AllocationRun).where(AllocationRun.round_id == round_.id))}
        assert lines[household_id] == units - 1
        assert sum(lines.values()) == sum(r.lines.values())


@pytest.mark.parametrize("accepted, rejected, reason, field", [
    (99, 0, "", "accepted"), (-1, 0, "", "accepted"), (1, 1, "  ", "reason"), (1, "x", "", "rejected"),
])
def test_bad_collection_input_is_refused_and_nothing_is_saved(app, make, accepted, rejected, reason, field):
    """Are too many units, negative units, a rejection with no reason and a non-number refused at their field?"""
    r = allocated(app, make)
    household_id = next(h for h, units in r.lines.items() if units)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        with pytest.raises(DomainError) as error:
            collection.record_collection(None, round_, household_id, r.item_id, accepted, rejected, reason, r.now)
        assert error.value.field == field
        db.session.rollback()
        assert collection.accepted_goods(round_.id) == []


def test_an_item_is_recorded_once(app, make):
    """Is a second record of the same household and item refused?"""
    r = allocated(app, make)
    household_id = next(h for h, units in r.lines.items() if units)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        collection.record_collection(None, round_, household_id, r.item_id, r.lines[household_id], 0, "", r.now)
        with pytest.raises(DomainError):
            collection.record_collection(None, round_, household_id, r.item_id, 1, 0, "", r.now)


def test_finishing_collection_moves_the_round_and_its_deliveries_to_collected(app, make):
    """When the only village finishes its collection, are the round and its delivery collected, and is
    further recording refused?"""
    r = allocated(app, make)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        collection.finish_collection(None, round_, r.village.id, r.now)
        assert round_.state == "collected"
        assert db.session.scalar(select(Delivery.state)) == "collected"
        with pytest.raises(DomainError):
            collection.record_collection(None, round_, r.households[0].id, r.item_id, 1, 0, "", r.now)


def test_the_household_sees_what_to_bring_until_collection_is_finished(app, make):
    """Does a household with units to bring see the collection day and its items, and no longer once finished?"""
    r = allocated(app, make)
    household_id = next(h for h, units in r.lines.items() if units)
    with app.app_context():
        rows = collection.still_to_bring(household_id)
        assert len(rows) == 1
        day, lines = rows[0]
        assert "统一分拣点" in day.place and lines[0].units == r.lines[household_id]
        collection.finish_collection(None, db.session.get(DeliveryRound, r.round_ids[0]), r.village.id, r.now)
        assert collection.still_to_bring(household_id) == []
