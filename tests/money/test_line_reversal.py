"""Reversing accepted goods on a page: a reason, the effect on the statement first, then the household sees it."""

from datetime import timedelta

import time_machine

from courtyard.extensions import db
from courtyard.models import LedgerTransaction
from tests.support.factories import login, pin_login
from tests.support.money import NOW, accept, owed, paid_campaign


def _goods(app, make):
    campaign_id, item_id, _ = paid_campaign(app)
    village = make.village()
    household = make.household(village, with_pin=True)
    return village, household, accept(app, household.id, campaign_id, item_id, 4)


def test_the_team_reverses_goods_after_seeing_the_effect(app, client, make, login_as):
    """Does the team's page ask for a reason, show owed ¥60.00 becoming ¥0.00 before anything changes, reverse
    on confirmation, and does the household then see the reversal as its own line?"""
    with time_machine.travel(NOW + timedelta(days=1), tick=True):  # the goods' year is "this year"
        village, household, goods_id = _goods(app, make)
        login_as("team", of=village)
        money = client.get(f"/team/households/{household.id}/money").get_data(as_text=True)
        assert f"/team/ledger/{goods_id}/reverse" in money
        url = f"/team/ledger/{goods_id}/reverse"
        assert "土豆0" in client.get(url).get_data(as_text=True)
        assert client.post(url, data={"reason": ""}).status_code == 422
        preview = client.post(url, data={"reason": "土豆是邻户交的"}).get_data(as_text=True)
        assert "¥60.00" in preview.split('class="reversal-effect"')[1] and "¥0.00" in preview.split('class="reversal-effect"')[1]
        assert owed(app, household.id) == 6000
        response = client.post(url, data={"reason": "土豆是邻户交的", "confirmed": "yes"})
        assert response.status_code == 302 and owed(app, household.id) == 0
        with app.app_context():
            reversal = db.session.query(LedgerTransaction).filter_by(kind="reversal").one()
            assert reversal.reverses_id == goods_id and reversal.memo == "土豆是邻户交的"
        assert client.post(url, data={"reason": "again", "confirmed": "yes"}).status_code == 422
        home = app.test_client()
        pin_login(home, household)
        statement = home.get("/household/statement?period=custom&start=2026-01-01&end=2026-12-31").get_data(as_text=True)
        lines = statement.split('<ul class="statement-lines">')[1].split("</ul>")[0]
        assert lines.count('class="statement-line') == 2 and "土豆是邻户交的" in lines and "-¥60.00" in lines


def test_a_team_reaches_only_its_village_and_the_county_every_one(app, client, make):
    """Is another village's team refused (404) while the county may reverse the line?"""
    village, household, goods_id = _goods(app, make)
    login(client, make.team_member(make.village()))
    assert client.get(f"/team/ledger/{goods_id}/reverse").status_code == 404
    county = app.test_client()
    login(county, make.admin())
    assert county.post(f"/county/ledger/{goods_id}/reverse", data={"reason": "重复录入", "confirmed": "yes"}).status_code == 302
    assert owed(app, household.id) == 0
