"""Pledges waiting for a bank transfer, built straight from the models (the bank-statement and invoice tests
need many of them; the pledge rules themselves are tested through the service elsewhere)."""

from datetime import timedelta
from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.models import CampaignPackage, Pledge, PledgeLine
from courtyard.models.types import utcnow
from courtyard.services.pledges.pledges import new_reference
from tests.support.campaigns import make_buyer, make_campaign


def waiting_pledges(app, count, *, units=3, email="finance@unit.example"):
    """``count`` pledges of 1 to 9 packages at 168 yuan, spread over ``units`` units, all awaiting their transfer.
    Returns (campaign, [unit], [SimpleNamespace(id, reference, total_fen, unit_id)])."""
    now = utcnow()
    campaign = make_campaign(app, cap=100_000, around=now)
    buyers = [make_buyer(app, name=f"转账单位{n}-{now.timestamp()}", email=email) for n in range(units)]
    made = []
    with app.app_context():
        offer = db.session.get(CampaignPackage, campaign.offer_ids[0])
        for n in range(count):
            buyer, quantity = buyers[n % units], n % 9 + 1
            pledge = Pledge(campaign_id=campaign.id, unit_id=buyer.id, method="transfer", state="awaiting_transfer",
                            total_fen=quantity * offer.price_fen, refunded_fen=0, reference=new_reference(),
                            created_at=now - timedelta(hours=count - n), transfer_due_at=now + timedelta(days=7),
                            lines=[PledgeLine(offer_id=offer.id, address_id=buyer.address_ids[0], quantity=quantity,
                                              unit_price_fen=offer.price_fen)])
            db.session.add(pledge)
            db.session.flush()
            made.append(SimpleNamespace(id=pledge.id, reference=pledge.reference, total_fen=pledge.total_fen,
                                        unit_id=buyer.id))
        db.session.commit()
    return campaign, buyers, made
