"""Card and transfer pledges on a campaign made with ``make_campaign``, and its close job run when it is due."""

from datetime import timedelta

from courtyard.extensions import db
from courtyard.models import Campaign, SavedCard
from courtyard.models.types import utcnow
from courtyard.services.campaigns.campaign_close import close_due_campaigns
from courtyard.services.payments import card_payments
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import make_buyer


def card_pledge(app, save_card, campaign, quantity, card="4242424242424242"):
    """A unit pledges by card and pays with the test card it saved (the campaign closes in 10 days: saved, not held)."""
    unit = make_buyer(app)
    card_id = save_card(unit.id, card)
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                       [LineInput(campaign.offer_ids[0], unit.address_ids[0], quantity)], "card", utcnow())
        card_payments.pay_by_card(pledge, db.session.get(SavedCard, card_id))
        return pledge.id


def transfer_pledge(app, campaign, quantity, pay=False):
    """A new unit's pledge by transfer, paid when ``pay``; returns its id."""
    unit = make_buyer(app)
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                       [LineInput(campaign.offer_ids[0], unit.address_ids[0], quantity)], "transfer", utcnow())
        if pay:
            pledges.record_transfer(None, pledge, pledge.total_fen, "B1", utcnow(), utcnow())
            db.session.commit()
        return pledge.id


def after_close(app, campaign):
    """Run the close job an hour after the campaign's time is up."""
    with app.app_context():
        row = db.session.get(Campaign, campaign.id)
        row.closes_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        results = close_due_campaigns(utcnow())
        db.session.commit()
        return results
