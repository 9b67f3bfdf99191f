"""The county reconciles every campaign, records costs, pays villages, and sees 户均增收 on its home page."""

import time_machine

from courtyard.extensions import db
from courtyard.models import Household, LedgerTransaction
from courtyard.services.money import payouts
from tests.ledger.support import NOW, accept, owed, paid_campaign
from tests.support.factories import login


def test_the_reconciliation_shows_each_campaign_balanced(app, client, make):
    """Received, earned, paid and owed per campaign, and debits equal credits."""
    campaign_id, item_id, _ = paid_campaign(app, quantity=2)
    household = make.household(make.village())
    accept(app, household.id, campaign_id, item_id, 4)
    with app.app_context():
        payouts.record_payout(None, db.session.get(Household, household.id), 2500, "cash", "", NOW)
    login(client, make.admin())
    page = client.get("/county/reconciliation").get_data(as_text=True)
    assert 'data-balanced="yes"' in page
    assert "¥336.00" in page  # received: 2 × ¥168
    assert "¥60.00" in page and "¥25.00" in page and "¥35.00" in page


def test_the_county_records_a_cost_and_a_bad_amount_is_explained(app, client, make):
    """A logistics cost appears in the campaign's row; a zero amount is refused next to the field."""
    campaign_id, _item, _ = paid_campaign(app)
    login(client, make.admin())
    bad = client.post("/county/reconciliation", data={"campaign_id": campaign_id, "kind": "logistics", "amount": "0"})
    assert bad.status_code == 422 and "field-error" in bad.get_data(as_text=True)
    done = client.post("/county/reconciliation", data={"campaign_id": campaign_id, "kind": "logistics", "amount": "120",
                                                       "memo": "顺丰"})
    assert done.status_code == 302
    assert "¥120.00" in client.get("/county/reconciliation").get_data(as_text=True)


def test_the_county_pays_a_village(app, client, make):
    """The county's one-click batch for a village pays everyone there."""
    campaign_id, item_id, _ = paid_campaign(app)
    village = make.village()
    household = make.household(village)
    accept(app, household.id, campaign_id, item_id, 2)
    login(client, make.admin())
    assert client.post(f"/county/villages/{village.id}/pay-all", data={"method": "cash"}).status_code == 302
    assert owed(app, household.id) == 0


def test_home_pages_show_the_average_income_increase(app, client, make):
    """Two households reached earning ¥60 and ¥30: ¥45.00 per household on county and team home pages."""
    campaign_id, item_id, _ = paid_campaign(app)
    village = make.village()
    first, second, _idle = make.household(village), make.household(village, tier="lifted"), make.household(village)
    accept(app, first.id, campaign_id, item_id, 4)
    accept(app, second.id, campaign_id, item_id, 2)
    with time_machine.travel(NOW, tick=False):
        login(client, make.admin())
        county = client.get("/county/").get_data(as_text=True)
        team_client = app.test_client()
        login(team_client, make.team_member(village))
        team = team_client.get("/team/").get_data(as_text=True)
    for page in (county, team):
        assert 'data-figure="average-increase">¥45.00' in page
        assert 'data-figure="reached">2' in page
        assert "<svg" in page


def test_the_county_pays_one_household_and_prints_its_voucher(app, client, make):
    """From the reconciliation's village list the county opens a household, pays part of its debt, and
    cannot pay more than is owed."""
    campaign_id, item_id, _ = paid_campaign(app)
    household = make.household(make.village())
    accept(app, household.id, campaign_id, item_id, 2)
    login(client, make.admin())
    assert f"/county/households/{household.id}/money" in client.get("/county/reconciliation").get_data(as_text=True)
    refused = client.post(f"/county/households/{household.id}/money", data={"amount": "30.01", "method": "cash"})
    assert refused.status_code == 422
    done = client.post(f"/county/households/{household.id}/money", data={"amount": "10", "method": "cash", "reference": "X"})
    assert done.headers["Location"].endswith(f"/county/households/{household.id}/money")
    assert owed(app, household.id) == 2000
    with app.app_context():
        payout_id = db.session.query(LedgerTransaction.id).filter_by(kind="payout").scalar()
    assert f"/county/payouts/{payout_id}/voucher.pdf" in client.get(f"/county/households/{household.id}/money").get_data(as_text=True)
    assert client.get(f"/county/payouts/{payout_id}/voucher.pdf").data.startswith(b"%PDF")
