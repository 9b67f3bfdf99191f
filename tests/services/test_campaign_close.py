"""At close, funded all-or-nothing campaigns capture every hold and failed ones release every hold."""

from datetime import timedelta

from courtyard.extensions import db
from courtyard.models import Campaign, CampaignPackage, CardPayment, Pledge
from courtyard.models.types import utcnow
from courtyard.services.campaigns.campaign_close import close_due_campaigns
from courtyard.services.payments import card_payments, card_settlement
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import make_buyer, make_campaign


def _card_pledge(app, campaign, quantity, card="4242424242424242"):
    unit = make_buyer(app)
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                       [LineInput(campaign.offer_ids[0], unit.address_ids[0], quantity)], "card", utcnow())
        card_payments.pay_by_card(pledge, card)
        return pledge.id


def _transfer_pledge(app, campaign, quantity, pay=False):
    unit = make_buyer(app)
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                       [LineInput(campaign.offer_ids[0], unit.address_ids[0], quantity)], "transfer", utcnow())
        if pay:
            pledges.record_transfer(None, pledge, pledge.total_fen, "B1", utcnow(), utcnow())
        return pledge.id


def _states(app, ids):
    with app.app_context():
        return [db.session.get(Pledge, i).state for i in ids]


def _intent(app, stripe_api, pledge_id):
    with app.app_context():
        return stripe_api.retrieve_payment_intent(db.session.query(CardPayment).filter_by(pledge_id=pledge_id).one().intent_id)


def _after_close(app, campaign):
    """Run the close job an hour after the campaign's time is up."""
    with app.app_context():
        row = db.session.get(Campaign, campaign.id)
        row.closes_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        return close_due_campaigns(utcnow())


def test_funded_campaign_captures_every_hold(app, stripe_config, stripe_api):
    """Goal reached: are all card holds captured for their full amount, once, even if the job runs twice?"""
    campaign = make_campaign(app, around=utcnow(), goal_value=3, price_fen=10000)
    held = [_card_pledge(app, campaign, 2), _card_pledge(app, campaign, 1)]
    waiting = _transfer_pledge(app, campaign, 1)
    results = _after_close(app, campaign)
    assert results[campaign.id]["captured"] == 2
    assert _states(app, held) == ["paid", "paid"] and _states(app, [waiting]) == ["awaiting_transfer"]
    for pledge_id in held:
        assert _intent(app, stripe_api, pledge_id)["status"] == "succeeded"
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).state == "funded"
        assert close_due_campaigns(utcnow())[campaign.id]["captured"] == 0


def test_failed_campaign_releases_holds_and_pays_back_transfers(app, stripe_config, stripe_api):
    """Goal missed: are card holds released, waiting transfers cancelled, paid transfers refunded, and stock freed?"""
    campaign = make_campaign(app, around=utcnow(), goal_value=50, cap=20)
    held = _card_pledge(app, campaign, 2)
    waiting = _transfer_pledge(app, campaign, 1)
    paid = _transfer_pledge(app, campaign, 1, pay=True)
    _after_close(app, campaign)
    assert _states(app, [held, waiting]) == ["released", "cancelled"]
    assert _intent(app, stripe_api, held)["status"] == "canceled"
    with app.app_context():
        paid_back = db.session.get(Pledge, paid)
        assert paid_back.refunded_fen == paid_back.total_fen
        assert db.session.get(Campaign, campaign.id).state == "failed"
        assert db.session.get(CampaignPackage, campaign.offer_ids[0]).sold == 1  # only the refunded paid pledge's stock stays counted


def test_everyone_involved_is_told_by_mail(app, stripe_config, tmp_path):
    """Are the unit's pledge and close notices queued with the change, and delivered by SMTP in Chinese?"""
    from courtyard.devservices.smtp_sink import read_messages, running_smtp_sink
    from courtyard.messages.outbox import send_pending

    campaign = make_campaign(app, around=utcnow(), goal_value=1)
    unit = make_buyer(app, email="canteen@example.cn")
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id, [LineInput(campaign.offer_ids[0], unit.address_ids[0], 1)],
                                       "transfer", utcnow())
        pledges.record_transfer(None, pledge, pledge.total_fen, "B9", utcnow(), utcnow())
        reference = pledge.reference
    _after_close(app, campaign)
    with running_smtp_sink(tmp_path) as (host, port):
        app.config.update(SMTP_HOST=host, SMTP_PORT=port)
        try:
            with app.app_context():
                send_pending(app.config, utcnow())
        finally:
            app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=8025)
        subjects = [m["Subject"] for m in read_messages(tmp_path)]
    assert len(subjects) == 3 and all(reference in s or "达成" in s for s in subjects), subjects
    assert any("转账" in s for s in subjects) and any("达成目标" in s for s in subjects)


def test_payment_server_down_at_close_is_retried(app, stripe_config, stripe_api, closed_port_url):
    """If the payment server is down at close, do holds stay held and get captured on the next run?"""
    campaign = make_campaign(app, around=utcnow(), goal_value=1)
    held = _card_pledge(app, campaign, 1)
    app.config["STRIPE_API_BASE"] = closed_port_url
    try:
        results = _after_close(app, campaign)
    finally:
        app.config["STRIPE_API_BASE"] = stripe_config
    assert results[campaign.id]["errors"] == 1 and _states(app, [held]) == ["authorized"]
    with app.app_context():
        assert close_due_campaigns(utcnow())[campaign.id]["captured"] == 1
    assert _states(app, [held]) == ["paid"] and _intent(app, stripe_api, held)["status"] == "succeeded"


def _money_in_and_out(app, campaign_id):
    """(money received - money returned, what paid pledges are worth) for one campaign, from the records."""
    from sqlalchemy import func, select

    from courtyard.models import BankTransfer, Refund

    with app.app_context():
        ids = select(Pledge.id).where(Pledge.campaign_id == campaign_id)
        captured = db.session.scalar(select(func.coalesce(func.sum(CardPayment.captured_fen), 0)).where(CardPayment.pledge_id.in_(ids)))
        transferred = db.session.scalar(select(func.coalesce(func.sum(BankTransfer.amount_fen), 0)).where(BankTransfer.pledge_id.in_(ids)))
        refunded = db.session.scalar(select(func.coalesce(func.sum(Refund.amount_fen), 0)).where(Refund.pledge_id.in_(ids)))
        paid_value = db.session.scalar(select(func.coalesce(func.sum(Pledge.total_fen - Pledge.refunded_fen), 0))
                                       .where(Pledge.campaign_id == campaign_id, Pledge.state == "paid"))
        return captured + transferred - refunded, paid_value


def test_money_adds_up_after_a_mixed_campaign(app, stripe_config):
    """After card and transfer pledges, a decline, a cancellation, a partial refund and the close,
    does money received minus money returned equal what the paid pledges are worth?"""
    campaign = make_campaign(app, around=utcnow(), goal_value=3, cap=40, price_fen=12000)
    captured = _card_pledge(app, campaign, 2)
    _card_pledge(app, campaign, 1)
    transfer = _transfer_pledge(app, campaign, 2, pay=True)
    cancelled = _card_pledge(app, campaign, 1)
    try:
        _card_pledge(app, campaign, 1, card="4000000000000341")
    except Exception:  # the decline is the point: its pledge must not count
        pass
    with app.app_context():
        card_settlement.cancel_by_unit(db.session.get(Pledge, cancelled), None, utcnow())
    _after_close(app, campaign)
    with app.app_context():
        card_settlement.refund(db.session.get(Pledge, captured), 5000, "一份菜坏了", None)
        card_settlement.refund(db.session.get(Pledge, transfer), 12000, "少送一份", None)
    received, worth = _money_in_and_out(app, campaign.id)
    assert received == worth == (2 + 1 + 2) * 12000 - 5000 - 12000
