"""The campaign journey in a real browser: the county creates and opens a campaign closing within six days, a
unit pledges by card typed into Stripe.js (held), the county closes it funded and the hold is captured; in a
campaign that misses its goal the saved card is released uncharged."""

from datetime import datetime, timedelta

import pytest

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import Campaign, CardPayment, Pledge
from courtyard.models.types import utcnow
from tests.support.browser_pages import PHONE, type_card, staff_login as _login
from tests.support.campaigns import make_campaign

pytestmark = pytest.mark.browser


def _pledge_by_card(page, base, campaign_id, quantity, outcome, card="4242424242424242"):
    """Pledge by card and pay with a card typed into Stripe.js; wait for the page saying ``outcome``."""
    page.goto(f"{base}/partner/campaigns/{campaign_id}/pledge")
    page.select_option("#lines-0-offer_id", index=1)
    page.fill("#lines-0-quantity", str(quantity))
    page.check("input[value=card]")
    page.click("main form button[type=submit]")
    type_card(page, card)
    page.wait_for_selector(f"text={outcome}")


def _close_now(app, campaign_id):
    """Move the closing time into the past, as if the campaign's time were up."""
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        campaign.closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()


def _intent_status(app, stripe_api, pledge_id):
    with app.app_context():
        intent_id = db.session.query(CardPayment).filter_by(pledge_id=pledge_id).one().intent_id
    return stripe_api.retrieve_payment_intent(intent_id)["status"]


def test_funded_campaign_captures_the_card_hold(app, browser, live_server, demo_logins, stripe_config, stripe_api, artifacts):
    """Create and open a campaign closing in three days, pledge by card (held, not charged), close it funded: is the
    hold captured?"""
    context = browser.new_context(viewport=PHONE)
    admin = context.new_page()
    _login(admin, live_server, *demo_logins.admin[:2])
    admin.goto(live_server + "/county/campaigns/new")
    admin.fill("#title", "2026 囤年货 · 测试")
    admin.fill("#goal_value", "2")
    closes = (datetime.now(LOCAL_ZONE) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    admin.fill("#closes_at", closes)  # within six days: the card is held, not saved
    admin.select_option("#offers-0-package_id", index=1)
    admin.fill("#offers-0-price", "398")
    admin.fill("#offers-0-cap", "10")
    admin.click("main form button[type=submit]")
    admin.click("text=开始活动")
    assert "进行中" in admin.inner_text("main")
    campaign_id = int(admin.url.rstrip("/").split("/")[-1])

    unit = browser.new_context(viewport=PHONE).new_page()
    _login(unit, live_server, demo_logins.units[0][1], demo_logins.units[0][2])
    _pledge_by_card(unit, live_server, campaign_id, 2, "银行卡已预授权")
    assert "银行卡已预授权" in unit.inner_text("main")
    unit.screenshot(path=str(artifacts / "journey-pledge-authorised-phone.png"), full_page=True)
    with app.app_context():
        pledge_id = db.session.query(Pledge).filter_by(campaign_id=campaign_id).one().id
    assert _intent_status(app, stripe_api, pledge_id) == "requires_capture"

    _close_now(app, campaign_id)
    admin.goto(f"{live_server}/county/campaigns/{campaign_id}")
    admin.click("text=立即结束并结算")
    assert "已达成" in admin.inner_text("main") and "扣款 1 笔" in admin.inner_text("main")
    admin.screenshot(path=str(artifacts / "journey-campaign-funded-phone.png"), full_page=True)
    with app.app_context():
        assert db.session.get(Pledge, pledge_id).state == "paid"
    assert _intent_status(app, stripe_api, pledge_id) == "succeeded"
    unit.goto(f"{live_server}/partner/pledges/{pledge_id}")
    assert "已付款" in unit.inner_text("main")
    context.close()


def test_failed_campaign_releases_the_saved_card(app, browser, live_server, demo_logins, stripe_config, stripe_api, artifacts):
    """A campaign (closing in ten days: the card is saved) that misses its goal: is the pledge released and nothing
    ever charged?"""
    campaign = make_campaign(app, around=utcnow(), goal_value=100, cap=50)
    unit = browser.new_context(viewport=PHONE).new_page()
    _login(unit, live_server, demo_logins.units[1][1], demo_logins.units[1][2])
    with app.app_context():
        from courtyard.models import DeliveryAddress, User

        user = db.session.query(User).filter_by(login=demo_logins.units[1][1]).one()
        if not db.session.query(DeliveryAddress).filter_by(unit_id=user.partner_unit_id).count():
            db.session.add(DeliveryAddress(unit_id=user.partner_unit_id, label="食堂", address="县城路1号"))
            db.session.commit()
    _pledge_by_card(unit, live_server, campaign.id, 1, "银行卡已保存")
    assert "银行卡已保存" in unit.inner_text("main")
    with app.app_context():
        pledge_id = db.session.query(Pledge).filter_by(campaign_id=campaign.id).one().id

    _close_now(app, campaign.id)
    admin = browser.new_context(viewport=PHONE).new_page()
    _login(admin, live_server, *demo_logins.admin[:2])
    admin.goto(f"{live_server}/county/campaigns/{campaign.id}")
    admin.click("text=立即结束并结算")
    assert "未达成" in admin.inner_text("main")
    with app.app_context():
        assert db.session.get(Pledge, pledge_id).state == "released"
    with app.app_context():  # the saved card was never charged: no payment was ever begun
        assert db.session.query(CardPayment).filter_by(pledge_id=pledge_id).one().intent_id is None
    unit.goto(f"{live_server}/partner/pledges/{pledge_id}")
    assert "已释放" in unit.inner_text("main")
    unit.screenshot(path=str(artifacts / "journey-hold-released-phone.png"), full_page=True)
