"""Cards in a real browser, through localstripe's Stripe.js: the card is typed into Stripe's field and goes to
Stripe only. All-or-nothing: cards are saved at pledging and charged off-session at close (once); a card needing
3-D Secure is confirmed by the unit on its pledge page; a card the bank refuses is released after the grace period.
Flexible: a declined card says why and the unit pays again, through 3-D Secure, or switches to a bank transfer.
No request to our server ever carries a card number."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.jobs import expire_unpaid
from courtyard.models import Campaign, CardPayment, OutboxMessage, Pledge
from courtyard.models.types import utcnow
from courtyard.services.campaigns.campaign_close import close_due_campaigns
from tests.support.browser_pages import new_page, pass_challenge, staff_login, type_card
from tests.support.campaigns import make_campaign

pytestmark = pytest.mark.browser

VISA, THREE_D_SECURE, DECLINED_AT_CHARGE = "4242424242424242", "4000002760003184", "4000000000000341"
THREE_D_SECURE_ALWAYS, DECLINED_AT_SAVE = "4000002500003155", "4000000000000002"
CARDS = (VISA, THREE_D_SECURE, DECLINED_AT_CHARGE, THREE_D_SECURE_ALWAYS, DECLINED_AT_SAVE)


class Unit:
    """A unit's browser, recording every request body it sends to our server."""

    def __init__(self, browser, base, login, password):
        self.base, self.sent = base, []
        self.context, self.page = new_page(browser)
        self.page.on("request", lambda r: self.sent.append(r.post_data or "") if r.url.startswith(base) else None)
        staff_login(self.page, base, login, password)

    def pledge(self, campaign_id, quantity=1):
        self.page.goto(f"{self.base}/partner/campaigns/{campaign_id}/pledge")
        self.page.select_option("#lines-0-offer_id", index=1)
        self.page.fill("#lines-0-quantity", str(quantity))
        self.page.check("input[value=card]")
        self.page.click("main form button[type=submit]")
        self.page.wait_for_selector("#card-element input")
        return int(re.search(r"/pledges/(\d+)", self.page.url).group(1))

    def type_card(self, number, *, authenticate=False):
        type_card(self.page, number, authenticate=authenticate)

    def pass_challenge(self):
        pass_challenge(self.page)

    def text(self):
        return self.page.inner_text("main")

    def close(self):
        carrying = [body for body in self.sent for card in CARDS if card in re.sub(r"\D", "", body)]
        self.context.close()
        assert carrying == [], "a card number reached our server"


def _unit(browser, live_server, demo_logins, n):
    return Unit(browser, live_server, demo_logins.units[n][1], demo_logins.units[n][2])


def _state(app, pledge_id):
    with app.app_context():
        return db.session.get(Pledge, pledge_id).state


def _intents(stripe_api, app, pledge_id):
    with app.app_context():
        pledge = db.session.get(Pledge, pledge_id)
        found = stripe_api.find_payment_intents({"pledge_id": pledge.id, "pledge_reference": pledge.reference})
    return sorted(intent["status"] for intent in found)


def _money_taken_and_owed(app, campaign_id):
    """(captured − refunded, what the paid pledges are worth) for the campaign, from the records."""
    with app.app_context():
        ids = select(Pledge.id).where(Pledge.campaign_id == campaign_id)
        captured = db.session.scalar(select(func.coalesce(func.sum(CardPayment.captured_fen), 0))
                                     .where(CardPayment.pledge_id.in_(ids)))
        refunded = db.session.scalar(select(func.coalesce(func.sum(Pledge.refunded_fen), 0)).where(Pledge.id.in_(ids)))
        paid = db.session.scalar(select(func.coalesce(func.sum(Pledge.total_fen), 0))
                                 .where(Pledge.campaign_id == campaign_id, Pledge.state == "paid"))
    return captured - refunded, paid


def test_all_or_nothing_cards_are_saved_then_charged_once_at_close(app, browser, live_server, demo_logins,
                                                                    stripe_config, stripe_api, artifacts):
    """Three units save cards (one through the bank's 3-D Secure challenge); nothing is charged before the close.
    At close the plain card is charged once; the one needing 3-D Secure waits for its unit, who follows the link
    in the mail and passes the challenge; the one the bank refuses is released after the grace period."""
    campaign = make_campaign(app, around=utcnow(), goal_value=3, cap=20, price_fen=12800)
    units = [_unit(browser, live_server, demo_logins, n) for n in range(3)]
    pledges = []
    for unit, card in zip(units, (VISA, THREE_D_SECURE, DECLINED_AT_CHARGE)):
        pledges.append(unit.pledge(campaign.id))
        assert "现在只保存您的银行卡" in unit.text()
        unit.type_card(card, authenticate=card == THREE_D_SECURE)
        unit.page.wait_for_selector("text=银行卡已保存")
    units[0].page.screenshot(path=str(artifacts / "card-saved-phone.png"), full_page=True)
    assert [_state(app, p) for p in pledges] == ["authorized"] * 3
    assert [_intents(stripe_api, app, p) for p in pledges] == [[], [], []]  # nothing charged before the close

    with app.app_context():
        db.session.get(Campaign, campaign.id).closes_at = utcnow() - timedelta(minutes=1)  # its time is up
        db.session.commit()
        counts = close_due_campaigns(utcnow())[campaign.id]
        assert (counts["captured"], counts["needs_action"]) == (1, 2)
        assert close_due_campaigns(utcnow())[campaign.id]["captured"] == 0
        mail = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.dedupe_key == f"pledge:{pledges[1]}:needs_action:1"))
    assert [_state(app, p) for p in pledges] == ["paid", "needs_action", "needs_action"]
    assert _intents(stripe_api, app, pledges[0]) == ["succeeded"]

    link = re.search(r"https?://\S+?(/partner/pledges/\d+)", mail).group(1)  # the mail's link, on this test's server
    secure = units[1].page
    secure.goto(live_server + link)
    assert "您的银行要求您确认这笔付款" in units[1].text()
    secure.screenshot(path=str(artifacts / "card-needs-action-phone.png"), full_page=True)
    secure.click("#confirm-button")
    units[1].pass_challenge()
    secure.wait_for_selector("text=已付款")
    assert _state(app, pledges[1]) == "paid" and _intents(stripe_api, app, pledges[1]) == ["succeeded"]

    refused = units[2].page
    refused.goto(f"{live_server}/partner/pledges/{pledges[2]}")
    assert "发卡银行拒绝了这张卡" in units[2].text() and "改用对公转账" in units[2].text()
    with app.app_context():
        card = db.session.scalar(select(CardPayment).where(CardPayment.pledge_id == pledges[2]))
        assert timedelta(days=2) < card.action_due_at - utcnow() <= timedelta(days=3)
        assert expire_unpaid()["card_released"] == 0
        card.action_due_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        assert expire_unpaid()["card_released"] == 1
    assert _state(app, pledges[2]) == "released"
    refused.reload()
    assert "已释放" in units[2].text()
    taken, owed = _money_taken_and_owed(app, campaign.id)
    assert taken == owed == 2 * 12800
    for unit in units:
        unit.close()


def test_flexible_card_declined_then_paid_through_3d_secure_or_switched_to_transfer(
        app, browser, live_server, demo_logins, stripe_config, stripe_api, artifacts):
    """A flexible campaign: a card refused when saved says so under the field; one refused when charged shows
    the reason in Chinese with the next steps; a card needing 3-D Secure then pays through the challenge.
    Another unit switches its card pledge to a bank transfer, with no script needed for that."""
    campaign = make_campaign(app, around=utcnow(), mode="flexible", goal_value=5, cap=20, price_fen=9900)
    unit = _unit(browser, live_server, demo_logins, 3)
    pledge_id = unit.pledge(campaign.id, quantity=2)
    assert "现在从您的银行卡扣款" in unit.text()

    unit.type_card(DECLINED_AT_SAVE)
    unit.page.wait_for_selector("#card-errors:not([hidden])")
    assert "银行卡未能保存" in unit.page.inner_text("#card-errors")

    unit.type_card(DECLINED_AT_CHARGE)
    unit.page.wait_for_selector("#card-problem")
    assert "发卡银行拒绝了这张卡" in unit.text() and "换一张银行卡重新付款，或改用对公转账" in unit.text()
    unit.page.screenshot(path=str(artifacts / "card-declined-phone.png"), full_page=True)
    assert _state(app, pledge_id) == "needs_action"

    unit.type_card(THREE_D_SECURE_ALWAYS, authenticate=True)  # the bank's challenge when the card is saved
    unit.page.wait_for_selector("#confirm-button")
    unit.page.click("#confirm-button")
    unit.pass_challenge()  # and again when it is charged
    unit.page.wait_for_selector("text=已付款")
    assert _state(app, pledge_id) == "paid"
    assert _intents(stripe_api, app, pledge_id) == ["canceled", "succeeded"]  # the refused attempt can never pay

    other = _unit(browser, live_server, demo_logins, 4)
    switched = other.pledge(campaign.id)
    other.page.click("text=改用对公转账")
    other.page.wait_for_selector(".transfer-box")
    assert _state(app, switched) == "awaiting_transfer"
    taken, owed = _money_taken_and_owed(app, campaign.id)
    assert taken == owed == 2 * 9900
    unit.close()
    other.close()
