"""A household sees its own money in big plain figures and the lines behind them, and only its own."""

import time_machine

from courtyard.extensions import db
from courtyard.models import Household
from courtyard.services.money import payouts
from tests.ledger.support import NOW, accept, paid_campaign
from tests.support.factories import pin_login


def test_the_household_home_shows_earned_paid_and_owed_this_year(app, client, make):
    """Earned ¥60, paid ¥20 in cash: the home page shows ¥60.00, ¥20.00 and ¥40.00 owed."""
    campaign_id, item_id, _ = paid_campaign(app)
    household = make.household(make.village(), with_pin=True)
    accept(app, household.id, campaign_id, item_id, 4)
    with app.app_context():
        payouts.record_payout(None, db.session.get(Household, household.id), 2000, "cash", "XJ-1", NOW)
    with time_machine.travel(NOW, tick=False):
        pin_login(client, household)
        page = client.get("/household/").get_data(as_text=True)
    assert 'data-figure="earned">¥60.00' in page
    assert 'data-figure="paid">¥20.00' in page
    assert 'data-figure="owed">¥40.00' in page


def test_the_statement_lists_what_was_supplied_and_paid(app, client, make):
    """Each line: date, campaign, item, units × price and amount; a payout with its method and reference."""
    campaign_id, item_id, _ = paid_campaign(app)
    household = make.household(make.village(), with_pin=True)
    accept(app, household.id, campaign_id, item_id, 4)
    with app.app_context():
        payouts.record_payout(None, db.session.get(Household, household.id), 2000, "cash", "XJ-1", NOW)
    with time_machine.travel(NOW, tick=False):
        pin_login(client, household)
        page = client.get("/household/statement?period=month&start=2026-12-01").get_data(as_text=True)
        pdf = client.get("/household/statement.pdf?period=year")
    assert "土豆0 4 袋 × ¥15.00" in page and "¥60.00" in page
    assert "XJ-1" in page and "-¥20.00" in page
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_bad_period_is_explained_not_a_crash(app, client, make):
    """An end before the start is shown next to the field; the page still answers."""
    household = make.household(make.village(), with_pin=True)
    pin_login(client, household)
    response = client.get("/household/statement?period=custom&start=2026-12-10&end=2026-12-01")
    assert response.status_code == 200
    assert "field-error" in response.get_data(as_text=True)
    assert client.get("/household/statement?period=nonsense&start=notadate").status_code == 200


def test_a_household_sees_only_its_own_money(app, client, make):
    """Another household's earnings never show on this household's pages."""
    campaign_id, item_id, _ = paid_campaign(app)
    village = make.village()
    mine, theirs = make.household(village, with_pin=True), make.household(village)
    accept(app, theirs.id, campaign_id, item_id, 7)
    with time_machine.travel(NOW, tick=False):
        pin_login(client, mine)
        page = client.get("/household/statement").get_data(as_text=True)
    assert "¥105.00" not in page
    assert client.get(f"/team/households/{theirs.id}/money").status_code == 403
