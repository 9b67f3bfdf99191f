"""Building ledger situations for the tests: a campaign with paid pledges and households owed money."""

from datetime import datetime, timezone

from courtyard.extensions import db
from courtyard.models import Campaign, ProduceItem
from courtyard.services.money import ledger
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import make_buyer, make_campaign

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


def paid_campaign(app, quantity=3):
    """An open campaign with one unit's transfer pledge paid; returns (campaign id, item id, pledge id)."""
    campaign = make_campaign(app)
    unit = make_buyer(app)
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                       [LineInput(campaign.offer_ids[0], unit.address_ids[0], quantity)], "transfer", NOW)
        pledges.record_transfer(None, pledge, pledge.total_fen, "B1", NOW, NOW)
        item_id = db.session.query(ProduceItem.id).filter_by(name="土豆0").scalar()
        return campaign.id, item_id, pledge.id


def accept(app, household_id, campaign_id, item_id, units, price_fen=1500, at=NOW, ref=None):
    """Goods accepted from a household, posted and committed; returns the transaction id."""
    with app.app_context():
        transaction = ledger.post_goods_accepted(household_id, campaign_id, item_id, units, price_fen, at,
                                                 ref or f"test:{household_id}:{item_id}:{units}:{at.isoformat()}")
        db.session.commit()
        return transaction.id


def owed(app, household_id):
    with app.app_context():
        return ledger.owed_fen(household_id)


def campaign_title(app, campaign_id):
    with app.app_context():
        return db.session.get(Campaign, campaign_id).title
