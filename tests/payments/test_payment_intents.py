"""PaymentIntents against a real localstripe: authorise, capture, cancel, refund, decline, find."""

import pytest

from courtyard.payments.client import StripeClient, idempotency_key, latest_charge_id
from courtyard.payments.errors import CardDeclined, InvalidPaymentRequest

DECLINED_AT_CHARGE = "4000000000000341"


def authorise(client, pledge_id, payment_method, amount_fen=1000):
    intent = client.create_payment_intent(
        amount_fen, capture_method="manual", metadata={"pledge_id": pledge_id},
        description="Pledge", payment_method=payment_method,
        idempotency_key=idempotency_key("pledge", pledge_id, "authorise"))
    return client.confirm_payment_intent(
        intent["id"], idempotency_key=idempotency_key("pledge", pledge_id, "confirm"))


def test_authorise_then_capture(stripe_client, visa, pledge_id):
    """A manual intent holds the money after confirmation and takes it all on capture."""
    intent = authorise(stripe_client, pledge_id, visa)
    assert intent["status"] == "requires_capture"
    assert intent["amount"] == 1000 and intent["currency"] == "cny"
    assert intent["metadata"] == {"pledge_id": pledge_id}

    captured = stripe_client.capture_payment_intent(intent["id"])

    assert captured["status"] == "succeeded"
    assert captured["latest_charge"]["captured"] is True
    assert latest_charge_id(captured) == intent["latest_charge"]["id"]


def test_authorise_then_cancel(stripe_client, visa, pledge_id):
    """Cancelling an authorised intent releases it: it ends canceled with nothing refunded."""
    intent = authorise(stripe_client, pledge_id, visa)

    canceled = stripe_client.cancel_payment_intent(intent["id"],
                                                   cancellation_reason="abandoned")

    assert canceled["status"] == "canceled"
    assert stripe_client.retrieve_payment_intent(intent["id"])["status"] == "canceled"


def test_payment_method_is_set_at_create_then_confirmed(stripe_client, visa, pledge_id):
    """The card is given when the intent is made (localstripe refuses it on confirm), then confirming holds it."""
    intent = stripe_client.create_payment_intent(500, payment_method=visa, metadata={"pledge_id": pledge_id})
    assert intent["status"] == "requires_confirmation"

    confirmed = stripe_client.confirm_payment_intent(intent["id"])

    assert confirmed["status"] == "requires_capture"
    assert confirmed["payment_method"] == visa


def test_off_session_charge_of_a_saved_card(stripe_client, visa, pledge_id):
    """A saved card on a customer is charged off-session in one call (confirm=true, off_session=true)."""
    customer = stripe_client.create_customer(name="县财政局", metadata={"unit_id": 1})
    intent = stripe_client.create_payment_intent(3000, capture_method="automatic", payment_method=visa,
                                                 customer=customer["id"], confirm=True, off_session=True,
                                                 metadata={"pledge_id": pledge_id})

    assert (intent["status"], intent["customer"]) == ("succeeded", customer["id"])


def test_automatic_capture(stripe_client, visa, pledge_id):
    """A flexible campaign's intent created with confirm=True is paid at once."""
    intent = stripe_client.create_payment_intent(
        2500, capture_method="automatic", payment_method=visa, confirm=True,
        metadata={"pledge_id": pledge_id})

    assert intent["status"] == "succeeded"
    assert intent["latest_charge"]["captured"] is True


def test_partial_refund(stripe_client, visa, pledge_id):
    """Two partial refunds of a paid intent are recorded with their amounts and metadata."""
    intent = stripe_client.create_payment_intent(
        1000, capture_method="automatic", payment_method=visa, confirm=True)

    first = stripe_client.create_refund(intent["id"], 300, reason="requested_by_customer",
                                        metadata={"pledge_id": pledge_id},
                                        idempotency_key=idempotency_key("refund", pledge_id, 1))
    stripe_client.create_refund(intent["id"], 200)

    assert first["status"] == "succeeded" and first["amount"] == 300
    assert first["metadata"] == {"pledge_id": pledge_id}
    refunds = stripe_client.list_refunds(intent["id"])
    assert sorted(refund["amount"] for refund in refunds) == [200, 300]


def test_partial_capture_refunds_the_rest_on_localstripe(stripe_client, visa, pledge_id):
    """Capturing part of an authorisation succeeds; localstripe books the rest as a refund."""
    intent = authorise(stripe_client, pledge_id, visa, amount_fen=1000)

    captured = stripe_client.capture_payment_intent(intent["id"], amount_to_capture=600)

    assert captured["status"] == "succeeded"
    assert captured["latest_charge"]["amount_refunded"] == 400


def test_declined_card_raises_card_declined(stripe_client, pledge_id):
    """Card 4000000000000341 is declined at confirmation with Stripe's message and code."""
    card = "pm_card_chargeCustomerFail"  # Stripe's test PaymentMethod for card 4000000000000341
    intent = stripe_client.create_payment_intent(1000, payment_method=card,
                                                 metadata={"pledge_id": pledge_id})

    with pytest.raises(CardDeclined) as declined:
        stripe_client.confirm_payment_intent(intent["id"])

    assert declined.value.message == "Your card was declined."
    assert declined.value.code == "card_declined"
    assert declined.value.status == 402
    assert declined.value.charge_id
    after = stripe_client.retrieve_payment_intent(intent["id"])
    assert after["status"] == "requires_payment_method"
    assert after["last_payment_error"]["code"] == "card_declined"


def test_find_payment_intents_by_metadata(stripe_client, visa, pledge_id):
    """After a crash the intents of a pledge are found by metadata, across several pages."""
    mine = [stripe_client.create_payment_intent(1000, metadata={"pledge_id": pledge_id})["id"]
            for _ in range(2)]
    stripe_client.create_payment_intent(1000, metadata={"pledge_id": pledge_id + "-other"})

    found = stripe_client.find_payment_intents({"pledge_id": pledge_id}, page_size=1)

    assert sorted(intent["id"] for intent in found) == sorted(mine)
    assert stripe_client.find_payment_intents({"pledge_id": "never-pledged"}) == []


@pytest.mark.parametrize("amount", [0, -5, 12.5, "1000", True])
def test_bad_amounts_are_refused_before_any_request(amount):
    """Amounts must be positive integers of fen; the client refuses others without calling out."""
    client = StripeClient("sk_test_x", "http://127.0.0.1:9", max_network_retries=0)

    with pytest.raises(InvalidPaymentRequest):
        client.create_payment_intent(amount)
