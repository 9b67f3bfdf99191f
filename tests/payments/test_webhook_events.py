"""POST /stripe/webhook: events localstripe really sent are applied once; bad or stale signatures get 400."""

import json
import time

import pytest

from courtyard.errors import DomainError
from courtyard.models import WebhookEvent
from courtyard.payments.webhooks import SIGNATURE_HEADER, sign

URL = "/stripe/webhook"
DECLINED_AT_CHARGE = "4000000000000341"


def _post(client, body, signature):
    return client.post(URL, data=body, headers={SIGNATURE_HEADER: signature, "Content-Type": "application/json"})


def _signed(app, event, at=None):
    """The event's body and a signature with the app's webhook secret, made at ``at`` (default: now)."""
    body = json.dumps(event).encode()
    return body, sign(body, app.config["STRIPE_WEBHOOK_SECRET"], at if at is not None else time.time())


def _event(kind="payment_intent.succeeded", event_id="evt_courtyard_test", **intent):
    return {"id": event_id, "object": "event", "type": kind, "data": {"object": intent}}


def test_signed_event_is_applied_once(app, pay, client, outage_client, webhook_inbox, pledge_in, snapshot, count_rows):
    """When the charge went through but its answer was lost, does localstripe's signed
    payment_intent.succeeded make the pledge paid, and does the same event sent again change nothing?"""
    pledge = pledge_in(mode="flexible", quantity=2, price_fen=4000)
    with pytest.raises(DomainError):
        pay(pledge, client=outage_client(fails_at="/confirm", delivered=True))
    pending = snapshot(pledge)
    assert pending.state == "payment_pending"
    body, signature = webhook_inbox.wait_for("payment_intent.succeeded", pending.intent_id)

    first, second = _post(client, body, signature), _post(client, body, signature)

    assert (first.status_code, first.get_json()) == (200, {"received": True, "duplicate": False})
    assert (second.status_code, second.get_json()) == (200, {"received": True, "duplicate": True})
    paid = snapshot(pledge)
    assert (paid.state, paid.card_state, paid.captured_fen) == ("paid", "captured", 8000)
    assert paid.paid_at is not None
    assert paid.audit == ["card_paid_by_webhook"]
    assert count_rows(WebhookEvent) == 1


def test_payment_failed_event_leaves_a_pending_pledge_needing_action(app, pay, client, outage_client, webhook_inbox,
                                                                     pledge_in, snapshot):
    """When the card was declined but the answer was lost, does localstripe's payment_intent.payment_failed
    leave the pledge needing the unit's action (reason kept, packages held until the grace period ends)?"""
    pledge = pledge_in(quantity=2)
    with pytest.raises(DomainError, match="cannot be reached"):
        pay(pledge, DECLINED_AT_CHARGE, client=outage_client(fails_at="/confirm", delivered=True))
    assert snapshot(pledge).state == "payment_pending"
    body, signature = webhook_inbox.wait_for("payment_intent.payment_failed", snapshot(pledge).intent_id)

    assert _post(client, body, signature).status_code == 200

    after = snapshot(pledge)
    assert (after.state, after.card_state, after.sold) == ("needs_action", "declined", 2)
    assert after.last_error == "card_declined"


def test_event_whose_amount_differs_leaves_the_pledge_unpaid(app, pay, client, outage_client, pledge_in, snapshot):
    """Is a correctly signed payment_intent.succeeded for less than the pledge's total recorded but not
    taken as payment?"""
    pledge = pledge_in(mode="flexible", quantity=1, price_fen=5000)
    with pytest.raises(DomainError):
        pay(pledge, client=outage_client(fails_at="/confirm"))
    intent_id = snapshot(pledge).intent_id

    body, signature = _signed(app, _event(id=intent_id, object="payment_intent", status="succeeded", amount=100,
                                     amount_received=100, currency="cny"))
    assert _post(client, body, signature).status_code == 200

    after = snapshot(pledge)
    assert (after.state, after.card_state) == ("payment_pending", "unknown")
    assert after.audit == ["card_webhook_amount_mismatch"]


@pytest.mark.parametrize("signature", [
    "t=1,v1=" + "0" * 64,
    "v1=abc",
    "",
    None,
], ids=["wrong", "no-timestamp", "empty", "missing"])
def test_bad_signature_is_refused_without_details(client, stripe_config, count_rows, signature):
    """Is an event with a wrong, malformed or missing signature refused with a bare 400, applying nothing?"""
    body = json.dumps(_event(id="pi_forged", status="succeeded", amount=1, currency="cny")).encode()
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature

    response = client.post(URL, data=body, headers=headers)

    assert (response.status_code, response.get_json()) == (400, {"error": "invalid webhook"})
    assert count_rows(WebhookEvent) == 0


def test_signature_with_another_secret_is_refused(client, stripe_config, count_rows):
    """Is an event signed with some other secret refused?"""
    body = json.dumps(_event()).encode()

    response = _post(client, body, sign(body, "whsec_someone_else", time.time()))

    assert response.status_code == 400 and count_rows(WebhookEvent) == 0


def test_stale_signature_is_refused(app, client, stripe_config, count_rows):
    """Is a correctly signed event from ten minutes ago (a replay) refused with 400?"""
    body, signature = _signed(app, _event(), at=time.time() - 600)

    response = _post(client, body, signature)

    assert (response.status_code, response.get_json()) == (400, {"error": "invalid webhook"})
    assert count_rows(WebhookEvent) == 0


def test_webhook_needs_no_csrf_token(app, client, stripe_config, csrf_on, count_rows):
    """With CSRF protection on, as in production, is Stripe's signed POST still accepted?"""
    body, signature = _signed(app, _event(kind="charge.succeeded", event_id="evt_csrf", id="ch_1", object="charge"))

    response = _post(client, body, signature)

    assert response.status_code == 200 and count_rows(WebhookEvent) == 1


def test_refund_made_in_stripes_dashboard_is_recorded_once(app, pay, client, stripe_api, pledge_in, snapshot):
    """Is a refund made outside the platform (its charge.refunded event) recorded against the pledge once, however
    often the event comes?"""
    pledge = pledge_in(mode="flexible", quantity=1, price_fen=6000)
    assert pay(pledge) == "paid"
    intent_id = snapshot(pledge).intent_id
    refund = stripe_api.create_refund(intent_id, 2500)
    charge = {"id": "ch_outside", "object": "charge", "payment_intent": intent_id,
              "refunds": {"data": [{"id": refund["id"], "amount": 2500, "status": "succeeded"}]}}

    for event_id in ("evt_refund_1", "evt_refund_2"):
        body, signature = _signed(app, _event("charge.refunded", event_id, **charge))
        assert _post(client, body, signature).status_code == 200

    after = snapshot(pledge)
    assert (after.state, after.refunded_fen, after.refunds) == ("paid", 2500, [(2500, refund["id"])])
