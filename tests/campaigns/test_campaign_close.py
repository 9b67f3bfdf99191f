"""At close, funded all-or-nothing campaigns charge every saved card off-session (once) and failed ones
release every pledge; a card the bank will not charge without the unit needs its action, and is released
after the campaign's grace period."""

from datetime import timedelta

import pytest

from courtyard.extensions import db
from courtyard.models import AuditEvent, Campaign, CampaignPackage, CardPayment, Notice, OutboxMessage, Pledge
from courtyard.models.types import utcnow
from courtyard.services.campaigns.campaign_close import close_due_campaigns
from courtyard.services.payments import card_settlement
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import make_buyer, make_campaign
from tests.support.card_pledges import after_close, card_pledge, transfer_pledge


def _states(app, ids):
    with app.app_context():
        return [db.session.get(Pledge, i).state for i in ids]


@pytest.fixture
def intents_of_pledge(app, stripe_api):
    """``intents_of_pledge(id)``: every PaymentIntent localstripe holds for the pledge (by its metadata)."""
    def find(pledge_id):
        with app.app_context():
            pledge = db.session.get(Pledge, pledge_id)
            return stripe_api.find_payment_intents({"pledge_id": pledge.id, "pledge_reference": pledge.reference})
    return find


def test_funded_campaign_charges_every_saved_card_once(app, save_card, stripe_config, stripe_api, intents_of_pledge):
    """Goal reached: is every saved card charged off-session for its full amount, with one intent per pledge,
    even if the job runs twice?"""
    campaign = make_campaign(app, around=utcnow(), goal_value=3, price_fen=10000)
    held = [card_pledge(app, save_card, campaign, 2), card_pledge(app, save_card, campaign, 1)]
    waiting = transfer_pledge(app, campaign, 1)
    assert _states(app, held) == ["authorized", "authorized"] and [intents_of_pledge(i) for i in held] == [[], []]
    results = after_close(app, campaign)
    assert results[campaign.id]["captured"] == 2, results
    assert _states(app, held) == ["paid", "paid"] and _states(app, [waiting]) == ["awaiting_transfer"]
    for pledge_id in held:
        [intent] = intents_of_pledge(pledge_id)
        assert (intent["status"], intent["capture_method"]) == ("succeeded", "automatic")
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).state == "funded"
        assert close_due_campaigns(utcnow())[campaign.id]["captured"] == 0
    assert [len(intents_of_pledge(i)) for i in held] == [1, 1]


def test_failed_campaign_releases_holds_and_pays_back_transfers(app, save_card, stripe_config, stripe_api, intents_of_pledge):
    """Goal missed: are saved-card pledges released uncharged, waiting transfers cancelled, paid transfers refunded,
    and stock freed?"""
    campaign = make_campaign(app, around=utcnow(), goal_value=50, cap=20)
    held = card_pledge(app, save_card, campaign, 2)
    waiting = transfer_pledge(app, campaign, 1)
    paid = transfer_pledge(app, campaign, 1, pay=True)
    after_close(app, campaign)
    assert _states(app, [held, waiting]) == ["released", "cancelled"]
    assert intents_of_pledge(held) == []  # the saved card was never charged
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
        db.session.commit()
        reference = pledge.reference
    after_close(app, campaign)
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


def test_payment_server_down_at_close_is_retried(app, save_card, stripe_config, stripe_api, closed_port_url,
                                                 intents_of_pledge):
    """If the payment server is down at close, does the pledge wait and get charged (once) on a later run?"""
    campaign = make_campaign(app, around=utcnow(), goal_value=1)
    held = card_pledge(app, save_card, campaign, 1)
    app.config["STRIPE_API_BASE"] = closed_port_url
    try:
        results = after_close(app, campaign)
    finally:
        app.config["STRIPE_API_BASE"] = stripe_config
    assert results[campaign.id]["pending"] == 1 and _states(app, [held]) == ["authorized"]
    with app.app_context():
        assert close_due_campaigns(utcnow())[campaign.id]["skipped"] == 1  # too recent: the charge may be running
        assert close_due_campaigns(utcnow() + timedelta(minutes=5))[campaign.id]["captured"] == 1
    assert _states(app, [held]) == ["paid"] and [i["status"] for i in intents_of_pledge(held)] == ["succeeded"]


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


def test_money_adds_up_after_a_mixed_campaign(app, save_card, stripe_config):
    """After card and transfer pledges, a decline, a cancellation, a partial refund and the close,
    does money received minus money returned equal what the paid pledges are worth?"""
    campaign = make_campaign(app, around=utcnow(), goal_value=3, cap=40, price_fen=12000)
    captured = card_pledge(app, save_card, campaign, 2)
    card_pledge(app, save_card, campaign, 1)
    transfer = transfer_pledge(app, campaign, 2, pay=True)
    cancelled = card_pledge(app, save_card, campaign, 1)
    card_pledge(app, save_card, campaign, 1, card="4000000000000341")  # saved, declined at close: never paid
    with app.app_context():
        card_settlement.cancel_by_unit(db.session.get(Pledge, cancelled), None, utcnow())
        db.session.commit()
    after_close(app, campaign)
    with app.app_context():
        card_settlement.refund(db.session.get(Pledge, captured), 5000, "一份菜坏了", None)
        db.session.commit()
        card_settlement.refund(db.session.get(Pledge, transfer), 12000, "少送一份", None)
        db.session.commit()
    received, worth = _money_in_and_out(app, campaign.id)
    assert received == worth == (2 + 1 + 2) * 12000 - 5000 - 12000


def _card_state(app, pledge_id):
    with app.app_context():
        card = db.session.query(CardPayment).filter_by(pledge_id=pledge_id).one()
        return card.state, card.last_error, card.action_due_at


def test_cards_the_bank_will_not_charge_need_the_units_action_then_are_released(
        app, save_card, stripe_config, intents_of_pledge):
    """At close, does a card needing 3-D Secure (localstripe: requires_action) or declined (0341) leave its pledge
    "needs your action" with a deadline, the unit told by mail, text and inbox with a link, and is it released
    with its stock back once the campaign's grace period has passed (and not before)?"""
    campaign = make_campaign(app, around=utcnow(), goal_value=2, cap=20)
    secure = card_pledge(app, save_card, campaign, 1, card="4000002760003184")
    declined = card_pledge(app, save_card, campaign, 1, card="4000000000000341")
    with app.app_context():
        unit_email = db.session.get(Pledge, secure).unit
        unit_email.contact_email = "canteen@example.cn"
        db.session.commit()

    results = after_close(app, campaign)

    assert results[campaign.id]["needs_action"] == 2
    assert _states(app, [secure, declined]) == ["needs_action", "needs_action"]
    state, reason, due = _card_state(app, secure)
    assert (state, reason) == ("requires_action", "requires_action")
    assert timedelta(days=2, hours=23) < due - utcnow() <= timedelta(days=3)
    assert _card_state(app, declined)[:2] == ("declined", "card_declined")
    assert [i["status"] for i in intents_of_pledge(secure)] == ["requires_action"]
    with app.app_context():
        mail = db.session.query(OutboxMessage).filter(OutboxMessage.subject.contains("需要您处理")).one()
        assert f"/partner/pledges/{secure}" in mail.body and "3-D Secure" in mail.body
        assert db.session.query(Notice).filter_by(kind="pledge_action", subject_id=secure).count() == 1
        assert close_due_campaigns(utcnow())[campaign.id]["captured"] == 0  # nothing is charged twice

        from courtyard.jobs import expire_unpaid
        assert expire_unpaid()["card_released"] == 0  # still within the grace period
        for card in db.session.query(CardPayment).filter(CardPayment.pledge_id.in_([secure, declined])):
            card.action_due_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        assert expire_unpaid()["card_released"] == 2
        assert db.session.get(CampaignPackage, campaign.offer_ids[0]).sold == 0
        assert db.session.query(AuditEvent).filter_by(action="card_pledge_released_unpaid").count() == 2
    assert _states(app, [secure, declined]) == ["released", "released"]
    assert [i["status"] for i in intents_of_pledge(secure)] == ["canceled"]


def test_refund_and_its_letter_are_one_transaction(app, monkeypatch):
    """Closing a failed campaign refunds a paid transfer and then queues the campaign-failed letter: if
    queueing the letter fails, is the refund rolled back with it (no refund, no refund letter, no
    ledger posting), and does the next run then refund once and send both letters?"""
    from sqlalchemy import select

    from courtyard.models import LedgerTransaction, OutboxMessage, Refund
    from courtyard.services.campaigns import campaign_close

    campaign = make_campaign(app, around=utcnow(), goal_value=50, cap=20)
    unit = make_buyer(app, email="canteen@example.cn")
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id, [LineInput(campaign.offer_ids[0], unit.address_ids[0], 1)],
                                       "transfer", utcnow())
        pledges.record_transfer(None, pledge, pledge.total_fen, "B7", utcnow(), utcnow())
        db.session.commit()
        paid, total = pledge.id, pledge.total_fen

    def letters_and_money():
        with app.app_context():
            row = db.session.get(Pledge, paid)
            keys = sorted(k.split(":", 2)[2] for k in db.session.scalars(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like(f"pledge:{paid}:%"))))
            refunds = db.session.scalars(select(Refund.amount_fen).where(Refund.pledge_id == paid)).all()
            postings = db.session.scalars(select(LedgerTransaction.kind).where(LedgerTransaction.pledge_id == paid)
                                          .order_by(LedgerTransaction.id)).all()
            return row.refunded_fen, refunds, postings, keys

    real_notify = campaign_close.notify

    def failing_notify(kind, pledge, **kw):
        raise RuntimeError("the letter could not be queued")

    monkeypatch.setattr(campaign_close, "notify", failing_notify)
    results = after_close(app, campaign)

    assert results[campaign.id]["errors"] == 1
    assert letters_and_money() == (0, [], ["transfer_received"], ["awaiting_transfer", "confirmed"])

    monkeypatch.setattr(campaign_close, "notify", real_notify)
    with app.app_context():
        assert close_due_campaigns(utcnow())[campaign.id]["refunded"] == 1
        db.session.commit()
    refunded, refunds, postings, keys = letters_and_money()
    assert (refunded, refunds, postings) == (total, [total], ["transfer_received", "refund"])
    assert keys[:3] == ["awaiting_transfer", "confirmed", "failed"] and len(keys) == 4 and keys[3].startswith("refund:")
