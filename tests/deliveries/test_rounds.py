"""Delivery plans become rounds; at a round's cut-off the job allocates it, once."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import AllocationLine, AllocationRun, CollectionDay, Delivery, DeliveryRound, OutboxMessage
from courtyard.services.deliveries import delivery_rounds
from tests.deliveries.rounds import FIRST_DAY, planned_round
from tests.support.campaigns import NOW


def test_a_window_with_a_rhythm_becomes_rounds_with_cutoffs(app, make):
    """Does "every 14 days from July to September" make rounds on those days, cut off 3 days before at
    local midnight and promised by 18:00 local time?"""
    r = planned_round(app, make)
    with app.app_context():
        delivery_rounds.set_plan(None, r.offer_id, datetime(2027, 6, 1, tzinfo=timezone.utc),
                                 window_start=date(2027, 7, 1), window_end=date(2027, 9, 30), every_days=14)
        rounds = db.session.scalars(select(DeliveryRound).order_by(DeliveryRound.number)).all()
        assert [r.delivers_on for r in rounds] == [date(2027, 7, 1) + timedelta(days=14 * n) for n in range(7)]
        assert [r.number for r in rounds] == list(range(1, 8))
        first = rounds[0]
        assert first.cutoff_at == datetime(2027, 6, 27, 16, 0, tzinfo=timezone.utc)  # 28 June 00:00 in Shanghai
        assert first.promised_by == datetime(2027, 7, 1, 10, 0, tzinfo=timezone.utc)


def test_a_plan_needs_dates_or_a_window(app, make):
    """Is a plan with neither dates nor a complete window refused, naming the field?"""
    r = planned_round(app, make)
    with app.app_context():
        with pytest.raises(DomainError) as error:
            delivery_rounds.set_plan(None, r.offer_id, NOW, window_start=date(2027, 7, 1))
        assert error.value.field == "dates"


def test_the_job_allocates_a_round_at_its_cutoff_once(app, make):
    """Before the cut-off nothing happens; after it the round's demand (3 boxes x 2 units) is published among
    the village's households, a collection day is set, one delivery is scheduled and the unit is mailed;
    running the job again changes nothing."""
    r = planned_round(app, make)
    with app.app_context():
        first = db.session.get(DeliveryRound, r.round_ids[0])
        assert delivery_rounds.allocate_due_rounds(first.cutoff_at - timedelta(minutes=1)) == 0
        assert delivery_rounds.allocate_due_rounds(first.cutoff_at) == 1
        assert delivery_rounds.allocate_due_rounds(first.cutoff_at + timedelta(hours=1)) == 0
        run = db.session.scalar(select(AllocationRun).where(AllocationRun.round_id == first.id))
        assert run.state == "published"
        assert sum(l.units for l in run.lines) == 6
        assert db.session.get(DeliveryRound, first.id).state == "allocated"
        day = db.session.scalar(select(CollectionDay).where(CollectionDay.round_id == first.id))
        assert day.starts_at.date() == FIRST_DAY - timedelta(days=1)
        deliveries = db.session.scalars(select(Delivery)).all()
        assert [(d.state, d.address_id) for d in deliveries] == [("scheduled", r.address_id)]
        key = f"delivery:{deliveries[0].id}:scheduled"
        assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))
        assert db.session.get(DeliveryRound, r.round_ids[1]).state == "scheduled"


def test_a_later_round_uses_what_is_left_of_the_campaign_capacity(app, make):
    """With 12 units declared in all and 6 taken by the first round, does the second round get the other 6,
    and a third-round household that already gave everything get nothing more?"""
    r = planned_round(app, make, capacities=(2, 2, 4))
    with app.app_context():
        for round_id in r.round_ids:
            round_ = db.session.get(DeliveryRound, round_id)
            delivery_rounds.allocate_round(None, round_, round_.cutoff_at)
        per_round = {}
        for line in db.session.scalars(select(AllocationLine)):
            per_round.setdefault(line.run.round_id, {})[line.household_id] = line.units
        assert sum(per_round[r.round_ids[0]].values()) == 6
        assert sum(per_round[r.round_ids[1]].values()) == 2  # only 8 declared in all
        for household, declared in zip(r.households, (2, 2, 4)):
            assert sum(per_round[round_id].get(household.id, 0) for round_id in r.round_ids) <= declared


def test_an_all_or_nothing_campaign_delivers_only_once_funded(app, make):
    """Is a round of an open all-or-nothing campaign left for later (not allocated), and allocated once funded?"""
    r = planned_round(app, make)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        round_.campaign.mode = "all_or_nothing"
        db.session.commit()
        assert delivery_rounds.allocate_due_rounds(round_.cutoff_at) == 0
        assert db.session.get(DeliveryRound, round_.id).state == "scheduled"
        round_.campaign.state = "funded"
        db.session.commit()
        assert delivery_rounds.allocate_due_rounds(round_.cutoff_at) == 1


def test_income_from_earlier_rounds_counts_as_prior_income(app, make):
    """In the second round, does a household that earned in the first round carry that income (so the poorest
    so far are served first), while a plain campaign run ignores its own campaign?"""
    from courtyard.services.allocation.allocation_runs import prior_income

    r = planned_round(app, make)
    with app.app_context():
        first, second = (db.session.get(DeliveryRound, i) for i in r.round_ids)
        delivery_rounds.allocate_round(None, first, first.cutoff_at)
        earned = {l.household_id: l.units * l.price_fen for l in db.session.scalars(select(AllocationLine)) if l.units}
        assert prior_income(r.village.id, r.campaign_id, first.cutoff_at, second.id) == earned
        assert prior_income(r.village.id, r.campaign_id, first.cutoff_at) == {}
