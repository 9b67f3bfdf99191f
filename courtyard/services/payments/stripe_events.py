"""Stripe webhook events, each applied once (its id is stored in the same transaction as the change).
"""

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from courtyard.extensions import db
from courtyard.models import CardPayment, WebhookEvent
from courtyard.models.types import utcnow
from courtyard.payments.webhooks import event_id, event_object
from courtyard.services.operations import audit
from courtyard.services.payments.card_intents import lock_state, received_fen, record_capture
from courtyard.services.pledges import pledge_states

log = logging.getLogger(__name__)


def apply_webhook_event(event, *, now=None):
    """Apply a verified Stripe event once (its id is stored with the change); False if seen before.

    ``payment_intent.succeeded`` makes an ``authorized`` or ``payment_pending`` pledge ``paid`` when
    the amounts match; ``payment_intent.payment_failed`` declines a still ``payment_pending`` one.
    Other events are only recorded.
    """
    now, key, kind = now or utcnow(), event_id(event), event["type"]
    intent = event_object(event) if kind.startswith("payment_intent.") else None
    if db.session.get(WebhookEvent, key) is not None:
        return False
    db.session.add(WebhookEvent(id=key, type=kind[:80], received_at=now))
    try:
        db.session.flush()  # a concurrent delivery of the same event waits here, then fails
    except IntegrityError:
        db.session.rollback()
        return False
    if kind == "payment_intent.succeeded":
        _intent_succeeded(intent, key, now)
    elif kind == "payment_intent.payment_failed":
        _intent_failed(intent, key, now)
    db.session.commit()
    return True


def _intent_succeeded(intent, key, now):
    card = _card_by_intent(intent)
    if card is None or intent.get("status") != "succeeded" or not lock_state(card.pledge, ("authorized", "payment_pending")):
        return
    pledge, received = card.pledge, received_fen(intent)
    if intent.get("amount") != pledge.total_fen or received != pledge.total_fen or intent.get("currency") != "cny":
        log.error("Event %s: intent %s received %s, pledge %s is %s", key, intent.get("id"), received, pledge.id,
                  pledge.total_fen)
        audit.record(None, "card_webhook_amount_mismatch", "pledge", pledge.id, event_id=key, intent_id=card.intent_id,
                     received_fen=received)
        return
    record_capture(card, intent, now)
    pledge_states.mark_paid(pledge, now, via="webhook", event_id=key, intent_id=card.intent_id, amount_fen=received)


def _intent_failed(intent, key, now):
    card = _card_by_intent(intent)
    if card is None or not lock_state(card.pledge, ("payment_pending",)):
        return
    reason = str((intent.get("last_payment_error") or {}).get("message") or "the payment failed")
    card.state, card.last_error, card.updated_at = "declined", reason[:500], now
    pledge_states.mark_declined(card.pledge, event_id=key, intent_id=card.intent_id, reason=reason)


def _card_by_intent(intent):
    intent_id = intent.get("id") if isinstance(intent, dict) else None
    if not intent_id:
        return None
    return db.session.scalar(select(CardPayment).where(CardPayment.intent_id == intent_id).with_for_update())
