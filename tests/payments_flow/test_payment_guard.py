"""Card payments from a web page when the payment server hangs: the page answers within the request's time budget
with the pledge kept, the reconcile job completes it later; after repeated failures card actions answer at once
while transfers go on; the county's jobs page shows the breaker."""

import time
from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import OutboxMessage, PartnerUnit
from courtyard.payments.slots import HostSlots, slots_directory
from courtyard.services.payments import card_payments
from courtyard.services.payments.payment_guard import payment_breaker
from tests.support.factories import login
from tests.support.hung_servers import HangingProxy, SilentServer

UNREACHABLE_ZH = "暂时无法连接支付服务。您的认购保留为“等待付款结果”"
PAUSED_ZH = "支付服务暂时不可用。您的认购已保留"


def _pay_on_the_page(client, pledge):
    return client.post(f"/partner/pledges/{pledge.id}/pay", data={"card_number": "4242 4242 4242 4242"})


def _open_the_breaker(app):
    with app.app_context():
        for _ in range(app.config["STRIPE_BREAKER_FAILURES"]):
            payment_breaker().record_failure("ReadTimeout")


def test_a_hung_answer_keeps_the_pledge_waiting_and_reconcile_completes_it(
        app, client, make, stripe_config, pledge_in, snapshot, intents_of, later):
    """When the payment server takes the card but never answers, does the page say the pledge waits for the payment
    result (instead of holding the worker), and does the reconcile job then authorise it on its one intent?"""
    pledge = pledge_in(mode="all_or_nothing")
    login(client, make.partner_user(SimpleNamespace(id=pledge.unit_id)))
    proxy = HangingProxy(stripe_config, hang_on="/confirm")
    budget = {key: app.config[key] for key in ("STRIPE_REQUEST_BUDGET_SECONDS", "STRIPE_REQUEST_READ_TIMEOUT")}
    app.config.update(STRIPE_API_BASE=proxy.url, STRIPE_REQUEST_BUDGET_SECONDS=1.5, STRIPE_REQUEST_READ_TIMEOUT=1.0)
    try:
        answer = _pay_on_the_page(client, pledge)
    finally:
        proxy.release()
        app.config.update(STRIPE_API_BASE=stripe_config, **budget)

    assert answer.status_code == 422
    assert UNREACHABLE_ZH in answer.get_data(as_text=True)
    assert (snapshot(pledge).state, snapshot(pledge).card_state) == ("payment_pending", "unknown")

    with app.app_context():
        assert card_payments.reconcile_pending(later)["authorized"] == 1
    assert snapshot(pledge).state == "authorized"
    assert len(intents_of(pledge)) == 1


def test_an_open_breaker_answers_card_payments_at_once_and_keeps_the_pledge(
        app, client, make, stripe_config, pledge_in, snapshot):
    """After repeated failures, does paying by card answer at once with 'payment service unavailable, your pledge is
    kept', without calling the payment server or starting a card payment?"""
    pledge = pledge_in(mode="flexible")
    login(client, make.partner_user(SimpleNamespace(id=pledge.unit_id)))
    silent = SilentServer()
    app.config["STRIPE_API_BASE"] = silent.url
    _open_the_breaker(app)
    try:
        answer = _pay_on_the_page(client, pledge)
    finally:
        silent.close()
        app.config["STRIPE_API_BASE"] = stripe_config

    assert answer.status_code == 422
    assert PAUSED_ZH in answer.get_data(as_text=True)
    assert silent.accepted == 0
    kept = snapshot(pledge)
    assert (kept.state, kept.sold, kept.card_state) == ("payment_pending", 2, None)


def test_transfers_are_recorded_while_the_breaker_is_open_and_their_mail_waits_for_the_job(
        app, client, make, stripe_config, pledge_in, snapshot, monkeypatch):
    """With card actions paused, can the county still record a unit's bank transfer, and is the unit's notice only
    queued (the mail server, hung here, is not contacted during the request)?"""
    pledge = pledge_in("awaiting_transfer", method="transfer", quantity=1, price_fen=5000)
    with app.app_context():
        db.session.get(PartnerUnit, pledge.unit_id).contact_email = "office@example.cn"
        db.session.commit()
    silent = SilentServer()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", int(silent.url.rsplit(":", 1)[1]))
    _open_the_breaker(app)
    login(client, make.admin())
    try:
        answer = client.post(f"/county/pledges/{pledge.id}", data={
            "action": "transfer", "transfer-amount": "50.00", "transfer-bank_reference": "BANK-1",
            "transfer-received_on": date.today().isoformat()})
    finally:
        silent.close()

    assert answer.status_code == 302
    assert snapshot(pledge).state == "paid"
    assert silent.accepted == 0
    with app.app_context():
        assert [m.sent_at for m in db.session.scalars(select(OutboxMessage))] == [None]


def test_the_jobs_page_shows_the_breaker(app, client, make):
    """Does the county's jobs page say the payment server is working, then paused after repeated failures with the
    last error?"""
    login(client, make.admin())
    assert 'data-breaker="closed"' in client.get("/county/jobs").get_data(as_text=True)

    _open_the_breaker(app)
    page = client.get("/county/jobs").get_data(as_text=True)

    assert 'data-breaker="open"' in page
    assert "ReadTimeout" in page


def test_while_other_workers_wait_on_a_hung_server_paying_answers_at_once_and_keeps_the_pledge(
        app, client, make, stripe_config, pledge_in, snapshot):
    """When every payment-server slot of the host is held by a call that has waited too long, does paying answer at
    once with 'payment service unavailable, your pledge is kept', with no card payment begun?"""
    pledge = pledge_in(mode="flexible")
    login(client, make.partner_user(SimpleNamespace(id=pledge.unit_id)))
    silent = SilentServer()
    app.config["STRIPE_API_BASE"] = silent.url
    stuck = HostSlots(slots_directory(app.instance_path), app.config["STRIPE_REQUEST_SLOTS"],
                      clock=lambda: time.time() - 10)
    try:
        with stuck.held(), stuck.held():
            answer = _pay_on_the_page(client, pledge)
    finally:
        silent.close()
        app.config["STRIPE_API_BASE"] = stripe_config

    assert answer.status_code == 422
    assert PAUSED_ZH in answer.get_data(as_text=True)
    assert silent.accepted == 0
    kept = snapshot(pledge)
    assert (kept.state, kept.sold, kept.card_state) == ("payment_pending", 2, None)
