"""Shared pieces of the card payment services: the Stripe client, a pledge's intents, row locks,
and turning payment errors into messages for people.

Its public names are the API that ``card_payments``, ``card_settlement`` and ``stripe_events`` use;
only the Luhn check is private.
"""

import logging
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CardPayment, User
from courtyard.payments import PaymentError, PaymentServiceUnavailable, idempotency_key
from courtyard.services.payments.payment_guard import payment_client

log = logging.getLogger(__name__)

UNSETTLED = ("creating", "requires_confirmation", "unknown")  # card payments whose outcome is open
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


def card_digits(card_number):
    """The digits of a typed card number, or a DomainError at the card field if they cannot be one."""
    digits = "".join(ch for ch in str(card_number or "") if ch not in " -")
    if not (digits.isdigit() and 12 <= len(digits) <= 19 and _luhn_ok(digits)):
        raise DomainError(_l("Enter a valid card number."), "card_number")
    return digits


def _luhn_ok(digits):
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(digits)):
        total += digit if position % 2 == 0 else (digit * 2 - 9 if digit > 4 else digit * 2)
    return total % 10 == 0


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
    """Lock the pledge's row; True if it is still waiting for its payment."""
    return lock_state(pledge, ("payment_pending",))


def lock_state(pledge, states):
    """Re-read the pledge under a row lock (PostgreSQL); True if it is still in one of ``states``."""
    db.session.refresh(pledge, with_for_update=True)
    return pledge.state in states


def record_capture(card, intent, now):
    """The card payment took the money ``intent`` (a succeeded intent) says it received."""
    card.state, card.captured_fen, card.last_error, card.updated_at = "captured", received_fen(intent), "", now


def card_of(pledge):
    """The pledge's card payment with its intent, or a DomainError if it has none."""
    card = db.session.scalar(select(CardPayment).where(CardPayment.pledge_id == pledge.id))
    if card is None or not card.intent_id:
        raise DomainError(_l("This pledge has no card payment."))
    return card


def paid_fen(pledge):
    """What was received for a paid pledge: the captured card amount, or the exact transfer."""
    if pledge.method == "card":
        card = db.session.scalar(select(CardPayment).where(CardPayment.pledge_id == pledge.id))
        return card.captured_fen if card else 0
    return pledge.total_fen


def payment_trouble(error):
    if isinstance(error, PaymentServiceUnavailable):
        return DomainError(_l("The payment server cannot be reached; nothing was changed. Try again later."))
    return DomainError(_l("The payment server refused: %(reason)s", reason=error.message))
