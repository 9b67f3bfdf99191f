"""A pledge cancelled or refunded after allocation gives its units back, tells those concerned, keeps the log."""

from datetime import timedelta

from courtyard.extensions import db
from courtyard.models import AllocationAdjustment, AllocationRun, AuditEvent, Delivery, DeliveryRound, Pledge
from courtyard.services.allocation import allocation_runs
from courtyard.services.deliveries import delivery_rounds
from courtyard.services.payments import card_settlement
from tests.deliveries.rounds import planned_round
from tests.supply_rounds.shop import campaign, declare, item, paid_pledge
from tests.support.campaigns import NOW


def _shop(app, make):
    """One village: a poor and a lifted household, 10 geese each; two units paid for 4 and 6 geese."""
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 1}, 100)])
    village = make.village("东村")
    poor, lifted = make.household(village, tier="poor"), make.household(village, tier="lifted")
    declare(app, shop.id, {(poor.id, goose): 10, (lifted.id, goose): 10})
    leaving = paid_pledge(app, make.unit(), shop.id, {shop.offer_ids[0]: 4})
    staying = paid_pledge(app, make.unit(), shop.id, {shop.offer_ids[0]: 6})
    return shop, village, poor, lifted, leaving, staying


def _units(run):
    return {l.household_id: l.units for l in run.lines}


def _notices(app, entity):
    with app.app_context():
        return [(e.entity_id, e.detail["body"]) for e in db.session.query(AuditEvent).filter_by(
            action="supply_notice", entity=entity)]


def test_a_cancelled_pledge_gives_back_its_units_in_a_published_allocation(app, make):
    """When a unit cancels after the village published, do its 4 geese come off the better-off household first,
    logged as released, with the households and the team told?"""
    shop, village, poor, lifted, leaving, staying = _shop(app, make)
    with app.app_context():
        run = allocation_runs.create_run(None, shop.id, village.id, NOW)
        allocation_runs.publish(None, run, NOW)
        before = _units(run)
        assert sum(before.values()) == 10 and before[poor.id] >= before[lifted.id]
        card_settlement.cancel_by_unit(db.session.get(Pledge, leaving), None, NOW + timedelta(hours=1))
        run = db.session.get(AllocationRun, run.id)
        after = _units(run)
        assert sum(after.values()) == 6 and after[lifted.id] <= before[lifted.id] and after[poor.id] >= after[lifted.id]
        assert leaving not in run.summary["pledge_ids"] and run.summary["items"][next(iter(run.summary["items"]))]["demand"] == 6
        released = db.session.query(AllocationAdjustment).filter_by(run_id=run.id, action="release").all()
        assert sum(a.before - a.after for a in released) == 4
        assert db.session.query(AuditEvent).filter_by(action="allocation_released", entity_id=run.id).count() == 1
    told = {household_id for household_id, _ in _notices(app, "household")}
    assert told and told <= {poor.id, lifted.id}
    assert [body for _, body in _notices(app, "team")] and "鹅" in _notices(app, "team")[0][1]


def test_a_draft_allocation_is_computed_again_without_the_cancelled_pledge(app, make):
    """Does a draft allocation drop a cancelled pledge's demand at once?"""
    shop, village, poor, lifted, leaving, staying = _shop(app, make)
    with app.app_context():
        run = allocation_runs.create_run(None, shop.id, village.id, NOW)
        card_settlement.cancel_by_unit(db.session.get(Pledge, leaving), None, NOW + timedelta(hours=1))
        run = db.session.get(AllocationRun, run.id)
        assert sum(_units(run).values()) == 6 and run.summary["pledge_ids"] == [staying]


def test_a_pledge_refunded_in_full_leaves_an_open_round(app, make):
    """When a paid pledge is refunded in full after its round was allocated, do the round's households supply
    nothing for it, is its scheduled delivery called off, and does the next round not allocate it again?"""
    r = planned_round(app, make, boxes=3, capacities=(4, 4, 4))
    with app.app_context():
        first = db.session.get(DeliveryRound, r.round_ids[0])
        assert delivery_rounds.allocate_round(None, first, first.cutoff_at + timedelta(minutes=1))
        (run,) = db.session.query(AllocationRun).filter_by(round_id=first.id).all()
        assert sum(_units(run).values()) == 6 and db.session.query(Delivery).filter_by(round_id=first.id).count() == 1
        pledge = db.session.query(Pledge).one()
        card_settlement.refund(pledge, pledge.total_fen, "单位退订", None, now=first.cutoff_at + timedelta(hours=1))
        run = db.session.get(AllocationRun, run.id)
        assert sum(_units(run).values()) == 0
        assert db.session.query(Delivery).filter_by(round_id=first.id).count() == 0
        second = db.session.get(DeliveryRound, r.round_ids[1])
        delivery_rounds.allocate_round(None, second, second.cutoff_at + timedelta(minutes=1))
        (later,) = db.session.query(AllocationRun).filter_by(round_id=second.id).all()
        assert sum(_units(later).values()) == 0


def test_a_refund_after_the_boxes_went_out_keeps_the_published_notice(app, make):
    """When a pledge is refunded in full after its boxes were delivered (a complaint), does the village's published
    campaign allocation keep what the households supplied?"""
    r = planned_round(app, make, boxes=3, capacities=(4, 4, 4))
    with app.app_context():
        notice = allocation_runs.create_run(None, r.campaign_id, r.village.id, NOW)
        allocation_runs.publish(None, notice, NOW)
        published = _units(notice)
        first = db.session.get(DeliveryRound, r.round_ids[0])
        delivery_rounds.allocate_round(None, first, first.cutoff_at + timedelta(minutes=1))
        first.state = "packed"
        for delivery in db.session.query(Delivery).filter_by(round_id=first.id):
            delivery.state = "delivered"
        db.session.commit()
        pledge = db.session.query(Pledge).one()
        card_settlement.refund(pledge, pledge.total_fen, "破损退款", None, now=first.cutoff_at + timedelta(days=3))
        assert _units(db.session.get(AllocationRun, notice.id)) == published and sum(published.values()) == 6
        assert db.session.query(Delivery).filter_by(round_id=first.id).count() == 1


def test_households_and_their_team_are_told_in_their_inbox_and_by_text(app, make):
    """A cancellation after publishing tells each household whose geese changed its new quantity (inbox and a
    text) and each member of the village's team how many households changed."""
    from courtyard.models import Notice, NoticeDelivery

    shop, village, poor, lifted, leaving, _staying = _shop(app, make)
    team = make.team_member(village)
    with app.app_context():
        run = allocation_runs.create_run(None, shop.id, village.id, NOW)
        allocation_runs.publish(None, run, NOW)
        card_settlement.cancel_by_unit(db.session.get(Pledge, leaving), None, NOW + timedelta(hours=1))
        after = _units(db.session.get(AllocationRun, run.id))
        db.session.commit()
        reduced = db.session.query(Notice).filter_by(kind="supply_reduced").all()
        assert reduced and {n.household_id for n in reduced} <= {poor.id, lifted.id}
        for notice in reduced:
            assert "因有认购撤回" in notice.body and f"鹅 {after[notice.household_id]}" in notice.body
        assert db.session.query(NoticeDelivery).filter(
            NoticeDelivery.notice_id.in_([n.id for n in reduced]), NoticeDelivery.channel == "sms").count() == len(reduced)
        [for_team] = db.session.query(Notice).filter_by(kind="supply_reduced_team").all()
        assert for_team.user_id == team.id and f"{len(reduced)}户供货已调整" in for_team.body
