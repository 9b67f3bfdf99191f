"""The unit's card pages as plain HTML (no script): paying with a saved card, a refused card's reason and next
steps, switching to a bank transfer, the saved-card list and removing a card; another unit's card is never found."""

from types import SimpleNamespace

from courtyard.extensions import db
from courtyard.models import SavedCard
from tests.support.factories import login

DECLINED_AT_CHARGE = "4000000000000341"


def _unit_client(app, make, pledge):
    client = app.test_client()
    login(client, make.partner_user(SimpleNamespace(id=pledge.unit_id)))
    return client


def test_a_refused_card_says_why_and_the_unit_pays_with_another_saved_card(app, make, save_card, pledge_in, snapshot):
    """Does a card refused at charging answer with the reason in Chinese and the next steps (another card, or a
    transfer), and does paying with another saved card, by a plain form, then pay the pledge?"""
    pledge = pledge_in(mode="flexible", quantity=1, price_fen=6600)
    refused, good = save_card(pledge.unit_id, DECLINED_AT_CHARGE), save_card(pledge.unit_id)
    client = _unit_client(app, make, pledge)

    page = client.post(f"/partner/pledges/{pledge.id}/pay", data={"saved_card": refused})

    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "发卡银行拒绝了这张卡" in text and "您可以换一张银行卡重新付款，或改用对公转账" in text
    assert "改用对公转账" in text and "•••• 4242" in text
    assert snapshot(pledge).state == "needs_action"

    paid = client.post(f"/partner/pledges/{pledge.id}/pay", data={"saved_card": good}, follow_redirects=True)

    assert "付款成功" in paid.get_data(as_text=True)
    assert (snapshot(pledge).state, snapshot(pledge).captured_fen) == ("paid", 6600)


def test_the_pledge_page_works_without_script_and_can_switch_to_transfer(app, make, pledge_in, snapshot, stripe_config):
    """Is a card pledge's page usable without script (it says typing a card needs it, offers the transfer), does the
    CSP let in Stripe.js from its origin only, and does switching to a transfer show the transfer's reference?"""
    pledge = pledge_in(mode="flexible")
    client = _unit_client(app, make, pledge)

    page = client.get(f"/partner/pledges/{pledge.id}")

    text = page.get_data(as_text=True)
    assert "<noscript>" in text and "改用对公转账" in text and "现在从您的银行卡扣款" in text
    assert f'<script src="{stripe_config}/js.stripe.com/v3/"></script>' in text
    assert f"script-src 'self' {stripe_config};" in page.headers["Content-Security-Policy"]

    switched = client.post(f"/partner/pledges/{pledge.id}/to-transfer", follow_redirects=True)

    assert pledge.reference in switched.get_data(as_text=True) and "对公转账" in switched.get_data(as_text=True)
    after = snapshot(pledge)
    assert (after.state, after.sold) == ("awaiting_transfer", 2)


def test_a_unit_sees_and_removes_its_saved_cards_only(app, make, save_card, pledge_in):
    """Does the unit see its cards (brand, last four, expiry), remove one, and get 404 for another unit's card?"""
    pledge, other = pledge_in(), pledge_in()
    mine, theirs = save_card(pledge.unit_id), save_card(other.unit_id, "4000002760003184")
    client = _unit_client(app, make, pledge)

    listed = client.get("/partner/cards").get_data(as_text=True)
    assert "VISA •••• 4242" in listed and "12/2034" in listed and "3184" not in listed

    assert client.post(f"/partner/cards/{theirs}/remove").status_code == 404
    removed = client.post(f"/partner/cards/{mine}/remove", follow_redirects=True).get_data(as_text=True)

    assert "银行卡已删除" in removed and "没有已保存的银行卡" in removed
    with app.app_context():
        assert db.session.get(SavedCard, mine).removed_at is not None
        assert db.session.get(SavedCard, theirs).removed_at is None
    assert "•••• 4242" not in client.get(f"/partner/pledges/{pledge.id}").get_data(as_text=True)
