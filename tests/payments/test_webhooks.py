"""Stripe-Signature verification and event parsing, with a frozen clock."""

import json
from datetime import datetime, timezone

import pytest

from courtyard.payments.errors import InvalidWebhookPayload, WebhookSignatureError
from courtyard.payments.webhooks import (compute_signature, event_id, event_object, parse_event,
                                         sign, verify_signature)

SECRET = "whsec_test_courtyard"
NOW = 1_800_000_000
PAYLOAD = json.dumps({"id": "evt_1", "object": "event", "type": "payment_intent.succeeded",
                      "data": {"object": {"id": "pi_1", "metadata": {"pledge_id": "7"}}}})


def test_good_signature_is_accepted():
    """A header signed with the endpoint secret at the current time verifies."""
    assert verify_signature(PAYLOAD, sign(PAYLOAD, SECRET, NOW), SECRET, now=NOW) == NOW


def test_signature_over_raw_bytes():
    """Bytes and str payloads verify alike, and `now` may be a UTC datetime (naive or aware)."""
    header = sign(PAYLOAD, SECRET, NOW)
    moment = datetime.fromtimestamp(NOW, timezone.utc)

    verify_signature(PAYLOAD.encode(), header, SECRET, now=moment)
    verify_signature(PAYLOAD.encode(), header, SECRET, now=moment.replace(tzinfo=None))


@pytest.mark.parametrize("header", [
    None, "", "v1=abc", f"t={NOW}", "t=soon,v1=abc",
    f"t={NOW},v1={'0' * 64}",
    f"t={NOW},v0={compute_signature(PAYLOAD, SECRET, NOW)}",
])
def test_missing_malformed_or_wrong_signatures_are_refused(header):
    """No header, no timestamp, no v1, a bad timestamp, a wrong or v0-only signature: refused."""
    with pytest.raises(WebhookSignatureError):
        verify_signature(PAYLOAD, header, SECRET, now=NOW)


def test_other_secret_or_changed_body_is_refused():
    """A signature made with another secret, or over another body, does not verify."""
    with pytest.raises(WebhookSignatureError):
        verify_signature(PAYLOAD, sign(PAYLOAD, "whsec_other", NOW), SECRET, now=NOW)
    with pytest.raises(WebhookSignatureError):
        verify_signature(PAYLOAD + " ", sign(PAYLOAD, SECRET, NOW), SECRET, now=NOW)


@pytest.mark.parametrize("age, accepted", [(300, True), (301, False), (-301, False)])
def test_stale_timestamps_are_refused(age, accepted):
    """A timestamp more than the tolerance (300 s) away from now is refused, either way."""
    header = sign(PAYLOAD, SECRET, NOW - age)
    if accepted:
        verify_signature(PAYLOAD, header, SECRET, now=NOW)
    else:
        with pytest.raises(WebhookSignatureError):
            verify_signature(PAYLOAD, header, SECRET, now=NOW)
    verify_signature(PAYLOAD, header, SECRET, now=NOW, tolerance=None)


def test_any_of_several_v1_signatures_may_match():
    """While Stripe rolls a secret it sends several v1 values; one match is enough."""
    header = (f"t={NOW},v1={compute_signature(PAYLOAD, 'whsec_old', NOW)},"
              f"v1={compute_signature(PAYLOAD, SECRET, NOW)},v0=ignored")

    assert verify_signature(PAYLOAD, header, SECRET, now=NOW) == NOW


def test_parse_event_gives_the_event_and_its_id():
    """A verified body is read as an event whose id and object are at hand."""
    event = parse_event(PAYLOAD, sign(PAYLOAD, SECRET, NOW), SECRET, now=NOW)

    assert event_id(event) == "evt_1"
    assert event["type"] == "payment_intent.succeeded"
    assert event_object(event)["metadata"] == {"pledge_id": "7"}


@pytest.mark.parametrize("body", ["not json", "[]", '{"object": "event", "type": "x"}',
                                  '{"id": "evt_2", "object": "charge", "type": "x"}'])
def test_signed_bodies_that_are_not_events_are_refused(body):
    """A correctly signed body that is not a Stripe event raises InvalidWebhookPayload."""
    with pytest.raises(InvalidWebhookPayload):
        parse_event(body, sign(body, SECRET, NOW), SECRET, now=NOW)
