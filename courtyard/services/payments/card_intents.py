"""Shared pieces of the card payment services: the Stripe client, a pledge's intents, row locks,
and turning payment errors into messages for people.

Its public names are the API that the other card payment modules of this package use.
"""

import logging
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CardPayment, User
from courtyard.payments import PaymentError, PaymentServiceUnavailable, idempotency_key
from courtyard.services.pledges import pledge_states
from courtyard.services.payments.payment_guard import payment_client

log = logging.getLogger(__name__)

UNSETTLED = ("creating", "requires_confirmation", "unknown")  # card payments whose outcome is open
PAYABLE = ("payment_pending", "needs_action")  # pledge states a card payment may be made in
RETRYABLE = ("requires_action", "declined", "saved")  # card payment states a new attempt starts from
IN_FLIGHT = timedelta(minutes=2)  # a payment attempt touched more recently than this may still be running
CONFIRMED = ("requires_capture", "succeeded")
CANCELLABLE = ("requires_payment_method", "requires_confirmation", "requires_action", "requires_capture")
LIVE_ORDER = ("succeeded", "requires_capture", "processing", "requires_confirmation", "requires_payment_method")
UNREACHABLE = _l("The payment server cannot be reached. Your pledge is kept as payment pending and will be "
                 "completed or released automatically.")
PAUSED = _l("The payment service is unavailable at the moment. Your pledge is kept; try paying by card again in a "
            "few minutes.")
IN_PROGRESS = _l("A card payment for this pledge is already under way. It will be completed or released "
                 "automatically.")


def card_client(client):
    """The client given, else the one for now (a web request's is budgeted and gated by the breaker)."""
    return client or payment_client()


def pledger_of(pledge):
    """The user who made the pledge, if any."""
    return db.session.get(User, pledge.user_id) if pledge.user_id else None


def owner_of(pledge):
    """The metadata that finds a pledge's intents: its id and its unique reference (ids may be reused
    when a development database is rebuilt against the same Stripe account)."""
    return {"pledge_id": pledge.id, "pledge_reference": pledge.reference}


def intents_of(client, pledge, card):
    """Every intent ever made for the pledge (listing is read-after-write consistent)."""
    since = None if client.localstripe_compat else int(card.created_at.timestamp()) - 3600
    return client.find_payment_intents(owner_of(pledge), created_gte=since)


def is_dead(intent):
    """An intent that can never take this pledge's money: cancelled, declined, or needing 3-D Secure."""
    status = intent["status"]
    return (status in ("canceled", "requires_action")
            or (status == "requires_payment_method" and bool(intent.get("last_payment_error"))))


def attempt_of(intent):
    """The pledge's payment attempt an intent was made for (1 when it does not say)."""
    try:
        return int((intent.get("metadata") or {}).get("attempt", 1))
    except ValueError:
        return 1


def cancel_quietly(client, pledge, intent):
    """Cancel an intent that must not be confirmed later; failures are logged, not raised."""
    if intent.get("status", "requires_payment_method") not in CANCELLABLE:
        return
    try:
        client.cancel_payment_intent(intent["id"], cancellation_reason="abandoned",
                                     idempotency_key=idempotency_key("pledge", pledge.id, "cancel", intent["id"]))
    except PaymentError as error:
        log.warning("Could not cancel intent %s of pledge %s: %r", intent["id"], pledge.id, error)


def received_fen(intent):
    """What a succeeded intent took: ``amount_received`` on Stripe, the captured charge on localstripe."""
    if "amount_received" in intent:
        return intent["amount_received"]
    charge = intent.get("latest_charge")
    return charge.get("amount", 0) if isinstance(charge, dict) and charge.get("captured") else 0


def lock_pending(pledge):
    """Lock the pledge's row; True if it is still waiting for its card payment (or for the unit's action)."""
    return lock_state(pledge, PAYABLE)


def lock_state(pledge, states):
    """Re-read the pledge under a row lock (PostgreSQL); True if it is still in one of ``states``."""
    db.session.refresh(pledge, with_for_update=True)
    return pledge.state in states


def record_capture(card, intent, now):
    """The card payment took the money ``intent`` (a succeeded intent) says it received."""
    card.state, card.captured_fen, card.last_error, card.updated_at = "captured", received_fen(intent), "", now
    card.action_due_at = None


def card_paid(pledge, card, intent, actor, now, via):
    """The card's money for the pledge arrived (``intent`` succeeded): the card payment records it and the
    pledge is marked paid by :func:`courtyard.services.pledges.pledge_states.mark_paid` (``via`` says how)."""
    record_capture(card, intent, now)
    pledge_states.mark_paid(pledge, now, via=via, actor=actor, intent_id=intent["id"], amount_fen=card.captured_fen)


def card_payment_of(pledge):
    """The pledge's card payment row, or None (a transfer pledge, or a card not given yet)."""
    return db.session.scalar(select(CardPayment).where(CardPayment.pledge_id == pledge.id))


def card_of(pledge):
    """The pledge's card payment with its intent, or a DomainError if it has none."""
    card = card_payment_of(pledge)
    if card is None or not card.intent_id:
        raise DomainError(_l("This pledge has no card payment."))
    return card


def paid_fen(pledge):
    """What was received for a paid pledge: the captured card amount, or the exact transfer."""
    if pledge.method == "card":
        card = card_payment_of(pledge)
        return card.captured_fen if card else 0
    return pledge.total_fen


def payment_trouble(error):
    if isinstance(error, PaymentServiceUnavailable):
        return DomainError(_l("The payment server cannot be reached; nothing was changed. Try again later."))
    return DomainError(_l("The payment server refused: %(reason)s", reason=error.message))
