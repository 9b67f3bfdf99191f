"""A cooperative declares for its members across villages; allocation, income, fee and floor stay per household."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from courtyard import localtime
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import (
    AllocationLine, AllocationRun, CapacityDeclaration, Cooperative, DeliveryRound, Household,
)
from courtyard.services.allocation import allocation_runs, demand_split
from courtyard.services.deliveries import delivery_rounds
from courtyard.services.money import statements
from courtyard.services.supply import collection
from courtyard.services.cooperatives import declarations
from courtyard.services.cooperatives.shares import split
from tests.support.ladder import Ladder
from tests.support.campaigns import NOW
from tests.support.cooperatives import active_contract, make_cooperative, paid_campaign


def test_a_cooperative_of_30_members_in_two_villages_declares_and_each_member_gets_its_share_poorest_first(app, make):
    """Is a cooperative's declaration split among its 30 members by shares, and does each village's
    allocation give every member at most its part, serving the poorer tiers before the better-off?"""
    villages = [make.village(), make.village()]
    coop = make_cooperative(app, make, villages, 15, shares=lambda n: 2 if n % 5 == 0 else 1)
    campaign_id, item_id, pledge_ids = paid_campaign(app, (10, 10))  # 20 units of demand per village
    with app.app_context():
        declarations.declare(None, db.session.get(Cooperative, coop.id), campaign_id, item_id, 72, NOW)
        db.session.commit()
        parts = {d.household_id: d.units for d in db.session.scalars(select(CapacityDeclaration))}
        assert parts == split(72, [(h, s, t) for h, _v, t, s in coop.members])
        assert sum(parts.values()) == 72
        assert {h for h, units in parts.items() if units} == {h for h, *_ in coop.members}
        demand_split.assign(None, campaign_id, {pledge_ids[0]: villages[0].id, pledge_ids[1]: villages[1].id}, NOW)
        db.session.commit()
        for village in villages:
            run = allocation_runs.create_run(None, campaign_id, village.id, NOW)
            db.session.commit()
            lines = {l.household_id: l for l in run.lines}
            members = [(h, t) for h, v, t, _s in coop.members if v == village.id]
            assert set(lines) == {h for h, _t in members}
            assert all(lines[h].capacity == parts[h] for h, _t in members)
            assert sum(l.units for l in lines.values()) == 20
            by_tier = {tier: [lines[h].units / parts[h] for h, t in members if t == tier] for tier in ("poor", "lifted")}
            assert min(by_tier["poor"]) >= max(by_tier["lifted"])  # the poor are filled first
            assert min(by_tier["poor"]) > 0


def test_a_suspended_cooperative_and_a_paused_member_are_refused_or_left_out(app, make):
    """Does a suspended cooperative's declaration fail with a message, and a paused member get no part?"""
    from courtyard.services.integrity import sanctions

    village = make.village()
    coop = make_cooperative(app, make, [village], 3)
    campaign_id, item_id, _ = paid_campaign(app, (5,))
    with app.app_context():
        cooperative = db.session.get(Cooperative, coop.id)
        paused = db.session.get(Household, coop.members[0][0])
        sanction = sanctions.pause_household(None, paused, item_id, "三次送货不合格", NOW)
        declarations.declare(None, cooperative, campaign_id, item_id, 9, NOW)
        db.session.commit()
        parts = declarations.members_parts(coop.id, campaign_id)
        assert (paused.id, item_id) not in parts and sum(parts.values()) == 9
        sanctions.lift(None, sanction, "已参加培训", NOW)
        sanctions.suspend_cooperative(None, cooperative, "虚报产能", NOW)
        db.session.commit()
        with pytest.raises(DomainError, match="suspended"):
            declarations.declare(None, cooperative, campaign_id, item_id, 9, NOW)


def _collected_through_cooperative(app, make, floor_price_fen, fee_kind, fee_value):
    """A delivery round whose 3 households are one cooperative's members under its active contract;
    allocated and everything brought. Returns (r, contract_id, statements by household)."""
    r = Ladder(app, make).planned()
    coop = make_cooperative(app, make, [], 0, fee_kind=fee_kind, fee_value=fee_value,
                            existing=(r.village, r.households))
    contract_id = active_contract(app, NOW, item_id=r.item_id, floor_price_fen=floor_price_fen, cooperative_id=coop.id)
    with app.app_context():
        round_ = db.session.get(DeliveryRound, r.round_ids[0])
        delivery_rounds.allocate_round(None, round_, round_.cutoff_at)
        db.session.commit()
        now = round_.cutoff_at + timedelta(days=2)
        for line in db.session.scalars(select(AllocationLine).join(AllocationRun).where(
                AllocationRun.round_id == round_.id, AllocationLine.units > 0)):
            collection.record_collection(None, round_, line.household_id, r.item_id, line.units, 0, "", now)
            db.session.commit()
        period = localtime.period_of("year", localtime.local_today(now))
        found = {h.id: statements.statement_data(db.session.get(Household, h.id), period) for h in r.households}
    return r, contract_id, {h: s for h, s in found.items() if s.lines}


def test_the_fee_is_its_own_line_on_each_members_statement_and_never_takes_income_below_the_floor(app, make):
    """With a 10 % fee on a ¥15 item under a ¥14 floor, does each member's statement show the goods
    (citing the contract) and a fee line of ¥1 a unit, not ¥1.50, so it keeps ¥14 a unit?"""
    r, contract_id, found = _collected_through_cooperative(app, make, 1400, "percent", 100)
    assert found
    with app.app_context():
        from courtyard.models import LedgerTransaction
        for household_id, statement in found.items():
            goods = [l for l in statement.lines if l.kind == "goods_accepted"]
            fees = [l for l in statement.lines if l.kind == "cooperative_fee"]
            assert len(goods) == 1 and len(fees) == 1
            units = goods[0].units
            assert goods[0].unit_price_fen == 1500
            assert fees[0].earned_fen == -100 * units
            assert statement.earned_fen == 1400 * units
            cited = db.session.get(LedgerTransaction, goods[0].transaction_id).contract_id
            assert cited == contract_id


def test_a_floor_above_the_package_price_raises_the_price_and_leaves_no_room_for_a_fee(app, make):
    """With an ¥18 floor on a ¥15 item, is each unit paid ¥18 and no fee taken?"""
    r, _contract_id, found = _collected_through_cooperative(app, make, 1800, "per_unit", 50)
    assert found
    for statement in found.values():
        goods = [l for l in statement.lines if l.kind == "goods_accepted"]
        assert [l.unit_price_fen for l in goods] == [1800]
        assert not [l for l in statement.lines if l.kind == "cooperative_fee"]
        assert statement.earned_fen == 1800 * goods[0].units


@pytest.mark.parametrize("units, members, expected", [
    (10, [(1, 1, "lifted"), (2, 1, "poor"), (3, 1, "monitored")], {1: 3, 2: 4, 3: 3}),
    (7, [(1, 2, "poor"), (2, 1, "poor")], {1: 5, 2: 2}),
    (0, [(1, 1, "poor")], {1: 0}),
    (5, [], {}),
])
def test_the_split_gives_the_leftover_to_the_poorer_member(units, members, expected):
    """Are parts proportional to shares, summing to the units, the leftover going to the poorer tier?"""
    assert split(units, members) == expected
