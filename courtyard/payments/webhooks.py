"""Stripe webhook verification: check ``Stripe-Signature``, then read the event.

Stripe signs ``f"{t}.{raw_body}"`` with HMAC-SHA256 under the endpoint's secret and sends
``Stripe-Signature: t=<unix time>,v1=<hex>[,v1=<hex>…]`` (several ``v1`` while a secret is being
rolled). Verify against the raw request body (``request.get_data()``), never re-serialised JSON.

Applying each event only once is the caller's job: store :func:`event_id` in a table with a unique
constraint and skip events already seen.
"""

import hashlib
import hmac
import json
import time
from datetime import datetime, timezone

from courtyard.payments.errors import InvalidWebhookPayload, WebhookSignatureError

SIGNATURE_HEADER = "Stripe-Signature"
DEFAULT_TOLERANCE = 300  # seconds, as Stripe's own libraries


def compute_signature(payload, secret, timestamp):
    """The hex ``v1`` signature Stripe would send for ``payload`` at ``timestamp``."""
    signed = b"%d." % int(timestamp) + _as_bytes(payload)
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(payload, secret, timestamp):
    """A complete ``Stripe-Signature`` header value (for tests and local tools)."""
    return f"t={int(timestamp)},v1={compute_signature(payload, secret, timestamp)}"


def verify_signature(payload, header, secret, *, tolerance=DEFAULT_TOLERANCE, now=None):
    """Check ``header`` against ``payload``; return the signed timestamp.

    ``tolerance`` is how far (seconds, either way) the timestamp may be from ``now``; ``None``
    turns the check off. ``now`` is a ``datetime`` (naive means UTC) or a Unix time, defaulting
    to the clock.
    Raises :class:`WebhookSignatureError`.
    """
    if not secret:
        raise WebhookSignatureError("No webhook secret is configured.")
    timestamp, signatures = _parse_header(header)
    expected = compute_signature(payload, secret, timestamp)
    # Compare against every v1 so the time taken says nothing about which one matched.
    matches = [hmac.compare_digest(expected, candidate) for candidate in signatures]
    if not any(matches):
        raise WebhookSignatureError("No signature matches the payload.")
    if tolerance is not None and abs(_unix_time(now) - timestamp) > tolerance:
        raise WebhookSignatureError("The signature timestamp is outside the tolerance.")
    return timestamp


def parse_event(payload, header, secret, *, tolerance=DEFAULT_TOLERANCE, now=None):
    """Verify the signature, then return the event as a dict with at least ``id`` and ``type``."""
    verify_signature(payload, header, secret, tolerance=tolerance, now=now)
    try:
        event = json.loads(_as_bytes(payload).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidWebhookPayload("The webhook body is not JSON.") from exc
    if not isinstance(event, dict) or event.get("object") != "event":
        raise InvalidWebhookPayload("The webhook body is not a Stripe event.")
    event_id(event)
    if not isinstance(event.get("type"), str):
        raise InvalidWebhookPayload("The event has no type.")
    return event


def event_id(event):
    """The event's id (``evt_…``), the key for applying each event only once."""
    value = event.get("id") if isinstance(event, dict) else None
    if not isinstance(value, str) or not value:
        raise InvalidWebhookPayload("The event has no id.")
    return value


def event_object(event):
    """The Stripe object the event is about (``event["data"]["object"]``)."""
    try:
        return event["data"]["object"]
    except (KeyError, TypeError) as exc:
        raise InvalidWebhookPayload("The event carries no object.") from exc


def _parse_header(header):
    if not header:
        raise WebhookSignatureError("The Stripe-Signature header is missing.")
    timestamp, signatures = None, []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise WebhookSignatureError("The signature timestamp is not a number.") from None
        elif key == "v1":
            signatures.append(value)
    if timestamp is None:
        raise WebhookSignatureError("The Stripe-Signature header has no timestamp.")
    if not signatures:
        raise WebhookSignatureError("The Stripe-Signature header has no v1 signature.")
    return timestamp, signatures


def _unix_time(now):
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        if now.tzinfo is None:  # the project keeps naive datetimes in UTC
            now = now.replace(tzinfo=timezone.utc)
        return now.timestamp()
    return float(now)


def _as_bytes(payload):
    return payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
