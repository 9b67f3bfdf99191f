"""Stripe webhook events, each applied once (its id is stored in the same transaction as the change).

They complete what a page or a job could not see through (a lost answer, a closed browser):
``payment_intent.succeeded`` pays, ``payment_intent.payment_failed`` and ``payment_intent.requires_action``
leave a pending or charging pledge needing the unit's action, ``setup_intent.succeeded`` records the card
saved, ``charge.refunded`` records a refund made outside the platform (in Stripe's dashboard).

:func:`apply_webhook_event` flushes; the webhook handler commits the event's id with the change.
"""

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from courtyard.extensions import db
from courtyard.errors import DomainError
from courtyard.models import CardPayment, PartnerUnit, Refund, WebhookEvent
from courtyard.models.types import utcnow
from courtyard.payments.webhooks import event_id, event_object
from courtyard.payments import PaymentError
from courtyard.payments.decline_reasons import intent_reason
from courtyard.services.payments import saved_cards
from courtyard.services.money import ledger
from courtyard.services.operations import audit
from courtyard.services.payments.card_needs_action import needs_action
from courtyard.services.payments.card_intents import lock_state, received_fen, card_paid

log = logging.getLogger(__name__)


def apply_webhook_event(event, *, now=None):
    """Apply a verified Stripe event once (its id is stored with the change; the caller commits); False if seen before.

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
    elif kind in ("payment_intent.payment_failed", "payment_intent.requires_action"):
        _intent_needs_action(intent, key, now)
    elif kind == "setup_intent.succeeded":
        _setup_succeeded(event_object(event), now)
    elif kind == "charge.refunded":
        _charge_refunded(event_object(event), key, now)
    db.session.flush()
    return True


def _intent_succeeded(intent, key, now):
    card = _card_by_intent(intent)
    if card is None or intent.get("status") != "succeeded" or not lock_state(card.pledge, ("authorized", "payment_pending", "needs_action")):
        return
    pledge, received = card.pledge, received_fen(intent)
    if intent.get("amount") != pledge.total_fen or received != pledge.total_fen or intent.get("currency") != "cny":
        log.error("Event %s: intent %s received %s, pledge %s is %s", key, intent.get("id"), received, pledge.id,
                  pledge.total_fen)
        audit.record(None, "card_webhook_amount_mismatch", "pledge", pledge.id, event_id=key, intent_id=card.intent_id,
                     received_fen=received)
        return
    card_paid(pledge, card, intent, None, now, "webhook")


def _intent_needs_action(intent, key, now):
    """A pledge still waiting for its payment's outcome (page closed, answer lost, charge at close cut off)."""
    card = _card_by_intent(intent)
    if card is None or card.state not in ("creating", "requires_confirmation", "unknown", "charging"):
        return
    pledge, at_close = card.pledge, card.pledge.state == "authorized"
    reason = "requires_action" if intent.get("status") == "requires_action" else intent_reason(intent)
    audit.record(None, "card_webhook_needs_action", "pledge", pledge.id, event_id=key, intent_id=card.intent_id)
    needs_action(None, pledge, card, None, reason, now, [intent], tell=at_close)


def _setup_succeeded(setup, now):
    """A card saved in a browser that closed before telling us: the unit sees it among its cards."""
    unit = db.session.scalar(select(PartnerUnit).where(PartnerUnit.stripe_customer_id == setup.get("customer"))) \
        if setup.get("customer") else None
    if unit is not None and setup.get("status") == "succeeded" and setup.get("id"):
        try:
            saved_cards.save_from_setup(unit, setup["id"], None, now)
        except (DomainError, PaymentError) as error:
            log.warning("setup_intent.succeeded %s not recorded: %r", setup.get("id"), error)


def _charge_refunded(charge, key, now):
    """Refunds of a card payment not made through the platform are recorded (and posted) once each."""
    card = _card_by_intent({"id": charge.get("payment_intent")}) if isinstance(charge.get("payment_intent"), str) else None
    if card is None or card.pledge.state != "paid":
        return
    pledge = card.pledge
    db.session.refresh(pledge, with_for_update=True)
    known = set(db.session.scalars(select(Refund.stripe_refund_id).where(Refund.pledge_id == pledge.id)))
    for refund in ((charge.get("refunds") or {}).get("data") or []):
        amount = refund.get("amount") or 0
        if refund.get("id") in known or refund.get("status") not in (None, "succeeded") or amount <= 0 \
                or pledge.refunded_fen + amount > card.captured_fen:
            continue
        row = Refund(pledge_id=pledge.id, amount_fen=amount, reason="refunded in Stripe", stripe_refund_id=refund["id"],
                     created_at=now)
        db.session.add(row)
        pledge.refunded_fen += amount
        db.session.flush()
        ledger.post_refund(row, pledge, now)
        audit.record(None, "pledge_refunded_outside", "pledge", pledge.id, event_id=key, stripe_refund_id=refund["id"],
                     amount_fen=amount)


def _card_by_intent(intent):
    intent_id = intent.get("id") if isinstance(intent, dict) else None
    if not intent_id:
        return None
    return db.session.scalar(select(CardPayment).where(CardPayment.intent_id == intent_id).with_for_update())
