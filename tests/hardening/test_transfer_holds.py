"""Holding stock with unpaid transfer pledges: a unit keeps at most three open in a campaign, whatever
the number of its delivery addresses."""

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CampaignPackage
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import NOW, make_buyer, make_campaign


def _pledge(app, unit, campaign, address, method="transfer"):
    with app.app_context():
        return pledges.create_pledge(None, unit.id, campaign.id,
                                     [LineInput(campaign.offer_ids[0], unit.address_ids[address], 5)], method, NOW).id


def test_a_unit_keeps_at_most_three_unpaid_transfers_in_a_campaign(app):
    """With no per-unit limit and ten addresses, is the 4th unpaid transfer refused at the payment method,
    holding nothing more, while another unit and a card pledge still go through?"""
    campaign, unit, other = make_campaign(app, cap=200, limit_per_address=5), make_buyer(app, addresses=10), make_buyer(app)
    for address in range(3):
        _pledge(app, unit, campaign, address)
    with pytest.raises(DomainError, match="3") as refused:
        _pledge(app, unit, campaign, 3)
    assert refused.value.field == "method"
    with app.app_context():
        assert db.session.get(CampaignPackage, campaign.offer_ids[0]).sold == 15
    _pledge(app, other, campaign, 0)
    _pledge(app, unit, campaign, 4, method="card")
