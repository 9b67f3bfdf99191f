"""localstripe really delivers signed webhooks that our verification accepts."""

import time

from courtyard.devservices.stripe_mock import register_webhook
from courtyard.payments.webhooks import SIGNATURE_HEADER, event_object, parse_event

SECRET = "whsec_delivery_test"


def wait_for_event(receiver, intent_id, timeout=5.0):
    """The first verified event about ``intent_id`` (other tests' events may arrive too)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for request in list(receiver.requests):
            event = parse_event(request["body"], request["headers"][SIGNATURE_HEADER], SECRET)
            if event_object(event)["id"] == intent_id:
                return request, event
        time.sleep(0.05)
    raise AssertionError(f"no webhook about {intent_id} within {timeout} s")


def test_localstripe_delivers_a_signed_payment_intent_succeeded(
        stripe_client, stripe_mock_url, visa, pledge_id, recording_server):
    """Paying an intent makes localstripe POST payment_intent.succeeded, signed with our secret."""
    receiver = recording_server((200, {}))
    register_webhook(stripe_mock_url, f"{receiver.url}/stripe/webhook", SECRET,
                     webhook_id="delivery-test", events=["payment_intent.succeeded"])

    intent = stripe_client.create_payment_intent(
        700, capture_method="automatic", payment_method=visa, confirm=True,
        metadata={"pledge_id": pledge_id})

    request, event = wait_for_event(receiver, intent["id"])
    assert request["path"] == "/stripe/webhook"
    assert event["id"].startswith("evt_")
    assert event["type"] == "payment_intent.succeeded"
    assert event_object(event)["metadata"] == {"pledge_id": pledge_id}
