"""Transport behaviour: which failures are retried, how often, and with which Idempotency-Key."""

import socket
import time
from urllib.parse import parse_qsl

import pytest

from courtyard.payments.client import StripeClient
from courtyard.payments.errors import (CardDeclined, InvalidPaymentRequest,
                                       PaymentServiceUnavailable)

API_ERROR = (503, {"error": {"type": "api_error", "message": "Stripe is having a moment."}})
PAYMENT_INTENT = (200, {"id": "pi_123", "object": "payment_intent", "status": "requires_capture"})


def client_for(url, retries=2):
    return StripeClient("sk_test_retry", url, max_network_retries=retries, retry_backoff=0.01,
                        timeout=2)


def keys_sent(server):
    return [request["headers"].get("Idempotency-Key") for request in server.requests]


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_server_gives_service_unavailable_quickly():
    """With nothing listening, the client retries a bounded number of times, then gives up."""
    client = client_for(f"http://127.0.0.1:{closed_port()}")
    started = time.monotonic()

    with pytest.raises(PaymentServiceUnavailable):
        client.create_payment_intent(1000, idempotency_key="pledge-1-authorise")

    assert time.monotonic() - started < 2


def test_network_errors_are_retried_with_the_same_idempotency_key(recording_server):
    """Dropped connections are retried max_network_retries times, all with the caller's key."""
    server = recording_server("drop")

    with pytest.raises(PaymentServiceUnavailable):
        client_for(server.url).create_payment_intent(1000, idempotency_key="pledge-1-authorise")

    assert keys_sent(server) == ["pledge-1-authorise"] * 3


def test_server_errors_are_retried_with_one_generated_key(recording_server):
    """5xx answers are retried; without a caller's key one key is made and reused by every try."""
    server = recording_server(API_ERROR)

    with pytest.raises(PaymentServiceUnavailable) as unavailable:
        client_for(server.url).capture_payment_intent("pi_123")

    keys = keys_sent(server)
    assert len(keys) == 3 and keys[0] and len(set(keys)) == 1
    assert unavailable.value.message == "Stripe is having a moment."
    assert unavailable.value.status == 503


def test_a_retry_that_succeeds_returns_the_answer(recording_server):
    """A conflict then a dropped connection then success: the caller just gets the object."""
    server = recording_server((409, {"error": {"type": "idempotency_error"}}), "drop",
                              PAYMENT_INTENT)

    intent = client_for(server.url).confirm_payment_intent("pi_123", idempotency_key="k1")

    assert intent["id"] == "pi_123"
    assert keys_sent(server) == ["k1", "k1", "k1"]


def test_card_errors_are_never_retried(recording_server):
    """A 402 card error is sent once and becomes CardDeclined with Stripe's decline details."""
    server = recording_server((402, {"error": {
        "type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
        "message": "Your card has insufficient funds.", "charge": "ch_1",
        "payment_intent": {"id": "pi_9", "object": "payment_intent"}}},
        {"Request-Id": "req_abc"}))

    with pytest.raises(CardDeclined) as declined:
        client_for(server.url).confirm_payment_intent("pi_9")

    assert len(server.requests) == 1
    error = declined.value
    assert (error.message, error.code, error.decline_code) == (
        "Your card has insufficient funds.", "card_declined", "insufficient_funds")
    assert (error.payment_intent_id, error.charge_id, error.request_id) == (
        "pi_9", "ch_1", "req_abc")


def test_other_client_errors_are_not_retried(recording_server):
    """A 400 is sent once and becomes InvalidPaymentRequest carrying Stripe's message."""
    server = recording_server((400, {"error": {
        "type": "invalid_request_error", "code": "payment_intent_unexpected_state",
        "message": "This PaymentIntent could not be captured."}}))

    with pytest.raises(InvalidPaymentRequest) as invalid:
        client_for(server.url).capture_payment_intent("pi_1")

    assert len(server.requests) == 1
    assert invalid.value.code == "payment_intent_unexpected_state"
    assert invalid.value.message == "This PaymentIntent could not be captured."


def test_stripe_should_retry_header_is_obeyed(recording_server):
    """Stripe-Should-Retry: false stops retries of a 5xx; true makes a 429 worth retrying."""
    refused = recording_server(API_ERROR + ({"Stripe-Should-Retry": "false"},))
    with pytest.raises(PaymentServiceUnavailable):
        client_for(refused.url).create_refund("pi_1", 100)
    assert len(refused.requests) == 1

    busy = recording_server((429, {"error": {"code": "lock_timeout"}},
                             {"Stripe-Should-Retry": "true"}), PAYMENT_INTENT)
    assert client_for(busy.url).retrieve_payment_intent("pi_123")["id"] == "pi_123"
    assert len(busy.requests) == 2


def test_requests_carry_auth_keys_and_stripe_form_encoding(recording_server):
    """POSTs are form-encoded with bracketed keys, Bearer auth and a fresh key per call."""
    server = recording_server(PAYMENT_INTENT)
    client = StripeClient("sk_test_form", server.url, api_version="2024-06-20")

    client.create_payment_intent(1234, metadata={"pledge_id": 7}, description="Pledge 7")
    client.create_payment_intent(1234)
    client.retrieve_payment_intent("pi_123")

    first, second, read = server.requests
    assert first["headers"]["Authorization"] == "Bearer sk_test_form"
    assert first["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert first["headers"]["Stripe-Version"] == "2024-06-20"
    assert parse_qsl(first["body"].decode()) == [
        ("amount", "1234"), ("currency", "cny"), ("capture_method", "manual"),
        ("payment_method_types[]", "card"), ("metadata[pledge_id]", "7"),
        ("description", "Pledge 7")]
    assert first["headers"]["Idempotency-Key"] != second["headers"]["Idempotency-Key"]
    assert read["method"] == "GET" and "Idempotency-Key" not in read["headers"]
