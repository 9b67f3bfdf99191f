"""Building a round for the allocation pages: a campaign with real paid pledges, and declared capacity."""

from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.models import CampaignPackage, Household, Pledge
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from courtyard.services.supply import supply
from tests.support.campaigns import NOW, make_buyer, make_campaign


def paid_round(app, packages_paid=5):
    """An open campaign whose one package holds 2 units of one item, with ``packages_paid`` packages paid by transfer.

    Returns ids and ``demand``: the units of the item the paid pledges call for.
    """
    campaign, unit = make_campaign(app, cap=100), make_buyer(app)
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                       [LineInput(campaign.offer_ids[0], unit.address_ids[0], packages_paid)], "transfer", NOW)
        pledges.record_transfer(None, db.session.get(Pledge, pledge.id), pledge.total_fen, "B1", NOW, NOW)
        # an unpaid pledge must not count as demand
        pledges.create_pledge(None, unit.id, campaign.id, [LineInput(campaign.offer_ids[0], unit.address_ids[0], 7)],
                              "transfer", NOW)
        offer = db.session.get(CampaignPackage, campaign.offer_ids[0])
        line = offer.package.lines[0]
        return SimpleNamespace(id=campaign.id, item_id=line.item_id, price_fen=line.item.price_fen,
                               demand=packages_paid * line.quantity)


def declare(app, round_, capacities):
    """Record ``{household_id: units}`` of the round's item, as the service would from the table."""
    with app.app_context():
        for household_id, units in capacities.items():
            supply.record(None, db.session.get(Household, household_id), round_.id, round_.item_id, units, NOW)
        db.session.commit()
