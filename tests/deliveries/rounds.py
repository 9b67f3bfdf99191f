"""A delivery round ready to allocate: a campaign package (2 units of one item per box) with a plan of
two dates, a unit that paid for boxes to one address, and a village whose households declared capacity."""

from datetime import date, timedelta
from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.models import CampaignPackage, DeliveryRound, Household, Pledge
from courtyard.services.deliveries import delivery_rounds
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from courtyard.services.supply import supply
from tests.support.campaigns import NOW, make_buyer, make_campaign

FIRST_DAY = date(2026, 12, 20)


def planned_round(app, make, *, boxes=3, capacities=(4, 4, 4), email="canteen@example.cn"):
    """Returns ids: campaign, offer, item, unit, address, village, households, rounds (two, 14 days apart)."""
    campaign, unit = make_campaign(app, cap=100, mode="flexible"), make_buyer(app, email=email)
    village = make.village()
    households = [make.household(village, name=f"王秀{n}英", with_pin=n == 0) for n in range(len(capacities))]
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                       [LineInput(campaign.offer_ids[0], unit.address_ids[0], boxes)], "transfer", NOW)
        pledges.record_transfer(None, db.session.get(Pledge, pledge.id), pledge.total_fen, "B1", NOW, NOW)
        offer = db.session.get(CampaignPackage, campaign.offer_ids[0])
        item_id = offer.package.lines[0].item_id
        for household, units in zip(households, capacities):
            supply.record(None, db.session.get(Household, household.id), campaign.id, item_id, units, NOW)
        db.session.commit()
        delivery_rounds.set_plan(None, offer.id, NOW, dates=[FIRST_DAY, FIRST_DAY + timedelta(days=14)], cutoff_days=3)
        round_ids = [r.id for r in db.session.query(DeliveryRound).order_by(DeliveryRound.number)]
    return SimpleNamespace(campaign_id=campaign.id, offer_id=campaign.offer_ids[0], item_id=item_id, unit_id=unit.id,
                           address_id=unit.address_ids[0], village=village, households=households, round_ids=round_ids,
                           boxes=boxes)
