"""A delivery round allocates each pledge's boxes only in the village that serves it, as the county split."""

from datetime import date, timedelta

from courtyard.extensions import db
from courtyard.models import AllocationRun, DeliveryRound
from courtyard.services.allocation import demand_split
from courtyard.services.deliveries import delivery_rounds
from tests.supply_rounds.shop import campaign, declare, item, paid_pledge
from tests.support.campaigns import NOW


def _round(app, offer_id):
    with app.app_context():
        delivery_rounds.set_plan(None, offer_id, NOW, dates=[date(2026, 12, 20), date(2026, 12, 27)], cutoff_days=3)
        return db.session.query(DeliveryRound).order_by(DeliveryRound.number).first().id


def _allocated(app, round_id):
    """``{village_id: {household_id: units}}`` of the round's runs."""
    with app.app_context():
        runs = db.session.query(AllocationRun).filter_by(round_id=round_id)
        return {run.village_id: {l.household_id: l.units for l in run.lines if l.units} for run in runs}


def test_a_round_follows_the_county_split_between_villages(app, make):
    """When the county gives a pledge to the second village, does the round collect its boxes there and not in
    the first village, which could have supplied them?"""
    goose = item(app, "鹅")
    shop = campaign(app, [("standard", {goose: 1}, 100)])
    east, west = make.village("东村"), make.village("西村")
    east_home, west_home = make.household(east), make.household(west)
    declare(app, shop.id, {(east_home.id, goose): 20, (west_home.id, goose): 20})
    to_west = paid_pledge(app, make.unit(villages=[east]), shop.id, {shop.offer_ids[0]: 3})
    to_east = paid_pledge(app, make.unit(villages=[east]), shop.id, {shop.offer_ids[0]: 2})
    with app.app_context():
        demand_split.assign(None, shop.id, {to_west: west.id}, NOW)
    round_id = _round(app, shop.offer_ids[0])
    with app.app_context():
        round_ = db.session.get(DeliveryRound, round_id)
        assert delivery_rounds.allocate_round(None, round_, round_.cutoff_at + timedelta(minutes=1))
    assert _allocated(app, round_id) == {east.id: {east_home.id: 2}, west.id: {west_home.id: 3}}
    with app.app_context():  # the round fixed where each pledge is served
        assert {s.pledge.id: (s.village_id, s.fixed) for s in demand_split.shares(shop.id)} == {
            to_west: (west.id, True), to_east: (east.id, True)}
