"""Stripe's webhook: signed with ``STRIPE_WEBHOOK_SECRET``, each event applied once."""

import logging

from flask import current_app, jsonify, request

from courtyard.extensions import csrf
from courtyard.payments.errors import InvalidWebhookPayload, WebhookError
from courtyard.payments.webhooks import SIGNATURE_HEADER, parse_event
from courtyard.services.payments import stripe_events
from courtyard.webhooks import bp

log = logging.getLogger(__name__)


@bp.post("/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    """400 for a missing, wrong or stale signature (Stripe retries, nothing is said why); else 200."""
    try:
        event = parse_event(request.get_data(), request.headers.get(SIGNATURE_HEADER),
                            current_app.config["STRIPE_WEBHOOK_SECRET"])
        check_object_id(event)
        applied = stripe_events.apply_webhook_event(event)
    except WebhookError as error:
        log.warning("Refused a Stripe webhook from %s: %s", request.remote_addr, error)
        return jsonify(error="invalid webhook"), 400
    return jsonify(received=True, duplicate=not applied)


def check_object_id(event):
    """A signed event whose object's id is not text (a list, a number) is refused, not looked up."""
    data = event.get("data")
    thing = data.get("object") if isinstance(data, dict) else None
    if isinstance(thing, dict) and "id" in thing and not isinstance(thing["id"], str):
        raise InvalidWebhookPayload("The event's object id is not a string.")
