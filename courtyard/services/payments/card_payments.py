"""Card payments for pledges through Stripe: authorise or charge, capture, release, refund, reconcile.

One PaymentIntent per pledge, never two: the CardPayment row is written before the intent is
created, and the intent's id is committed before the card is confirmed, so a retry or the
reconcile job finds it again (by id, or by metadata after a crash) instead of charging twice.
Payment server trouble leaves a pledge ``payment_pending``; :func:`reconcile_pending` completes or
releases it later. Every change of money is audited in the transaction that makes it.
"""

import logging
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CardPayment, Pledge
from courtyard.models.types import utcnow
from courtyard.payments import (
    CardDeclined, InvalidPaymentRequest, PaymentError, PaymentServicePaused, PaymentServiceUnavailable, idempotency_key,
)
from courtyard.services.payments.card_intents import (
    CONFIRMED, IN_FLIGHT, IN_PROGRESS, LIVE_ORDER, PAUSED, UNREACHABLE, UNSETTLED, attempt_of, cancel_quietly, card_client,
    card_digits, intents_of, is_dead, lock_pending, owner_of, pledger_of, record_capture,
)
from courtyard.services.payments.payment_guard import payments_paused
from courtyard.services.pledges import pledge_states

log = logging.getLogger(__name__)


def pay_by_card(pledge, card_number, *, client=None, actor=None, now=None):
    """Authorise (all-or-nothing campaign) or charge (flexible) the card for a ``payment_pending`` pledge.

    Returns the pledge, then ``authorized`` or ``paid``. A declined card declines the pledge and gives
    its stock back; an unreachable payment server leaves it ``payment_pending`` for
    :func:`reconcile_pending`; while the payment server's breaker is open nothing is begun and the pledge
    waits for the card as before. All three raise DomainError. A retry reuses the pledge's one intent.
    """
    now = now or utcnow()
    number = card_digits(card_number)
    if pledge.method != "card" or pledge.state != "payment_pending":
        raise DomainError(_l("This pledge is not waiting for a card payment."))
    if client is None and payments_paused():
        raise DomainError(PAUSED)  # at once, before a card payment is begun: the pledge stays as it is
    client = card_client(client)
    actor = actor or pledger_of(pledge)
    card, fresh = _card_for_attempt(pledge, now)
    try:
        intent = _create_intent(client, pledge, card, 1, now) if fresh else _live_intent(client, pledge, card, now)
        if intent["status"] in ("requires_payment_method", "requires_confirmation"):
            method = client.payment_method_for_test_card(number)
            intent = client.confirm_payment_intent(
                intent["id"], method, idempotency_key=idempotency_key("pledge", pledge.id, "confirm", intent["id"], method))
    except CardDeclined as declined:
        _decline(client, pledge, card, actor, declined.message, now)
        raise DomainError(_l("The card was declined: %(reason)s", reason=declined.message), "card_number") from declined
    except PaymentServicePaused as error:  # this call was not made: the server is known to be down or hanging
        if fresh and not card.intent_id:
            _forget_attempt(card)
            raise DomainError(PAUSED) from error
        _mark_unknown(card, error, now)
        raise DomainError(UNREACHABLE) from error
    except PaymentServiceUnavailable as error:
        _mark_unknown(card, error, now)
        raise DomainError(UNREACHABLE) from error
    except InvalidPaymentRequest as error:
        _mark_unknown(card, error, now)
        raise DomainError(_l("The payment could not be made: %(reason)s", reason=error.message)) from error
    outcome, reason = _settle(client, pledge, card, intent, actor, now)
    if outcome == "declined":
        raise DomainError(_l("The card was declined: %(reason)s", reason=reason), "card_number")
    if outcome == "pending":
        raise DomainError(UNREACHABLE)
    return pledge


def reconcile_pending(now, *, older_than=timedelta(minutes=5), client=None):
    """Complete or release card pledges left ``payment_pending`` by a failed or interrupted payment.

    Looks at unsettled card payments untouched for ``older_than``. The pledge's intent (by id, else by
    metadata) that was authorised or paid brings it to ``authorized`` or ``paid``; one never confirmed
    but holding the card is confirmed now; none, or a failed one, declines the pledge and gives its
    stock back. Payment server trouble leaves a pledge for the next run. Safe to run twice.
    Returns counts by outcome.
    """
    client = card_client(client)
    cards = db.session.scalars(
        select(CardPayment).join(Pledge, Pledge.id == CardPayment.pledge_id)
        .where(Pledge.state == "payment_pending", Pledge.method == "card", CardPayment.state.in_(UNSETTLED),
               CardPayment.updated_at <= now - older_than)
        .order_by(CardPayment.id)).all()
    counts = dict.fromkeys(("authorized", "paid", "declined", "pending", "skipped", "errors"), 0)
    for card in cards:
        try:
            outcome = _reconcile_one(client, card, now, now - older_than)
        except PaymentError as error:
            db.session.rollback()
            log.warning("Reconciling card payment %s failed: %r", card.id, error)
            _mark_unknown(card, error, now)
            outcome = "errors"
        counts[outcome] += 1
    return counts


def _reconcile_one(client, card, now, cutoff):
    if not _claim(card, now, CardPayment.state.in_(UNSETTLED), CardPayment.updated_at <= cutoff):
        return "skipped"  # another run took it
    pledge = card.pledge
    current = client.retrieve_payment_intent(card.intent_id) if card.intent_id else None
    if current is not None and not is_dead(current):
        intent = current
    else:
        intents = intents_of(client, pledge, card)
        intent = _adopt_best(client, pledge, card, intents, now)
        if intent is None:
            _decline(client, pledge, card, None, "no card payment was completed", now, intents)
            return "declined"
    if intent["status"] == "requires_confirmation":  # the card was given, the server went away before confirming
        try:
            intent = client.confirm_payment_intent(
                intent["id"], idempotency_key=idempotency_key("pledge", pledge.id, "confirm", intent["id"], "reconcile"))
        except CardDeclined as declined:
            _decline(client, pledge, card, None, declined.message, now, [intent])
            return "declined"
    return _settle(client, pledge, card, intent, None, now)[0]


def _card_for_attempt(pledge, now):
    """The pledge's CardPayment, claimed for this attempt; ``fresh`` when created just now."""
    card = db.session.scalar(select(CardPayment).where(CardPayment.pledge_id == pledge.id))
    if card is None:
        card = CardPayment(pledge_id=pledge.id, state="creating", amount_fen=pledge.total_fen,
                           created_at=now, updated_at=now)
        db.session.add(card)
        try:
            db.session.commit()
        except IntegrityError:  # a concurrent attempt created it first
            db.session.rollback()
            raise DomainError(IN_PROGRESS) from None
        return card, True
    if card.state not in UNSETTLED:
        raise DomainError(_l("This pledge is not waiting for a card payment."))
    if card.state != "unknown" and card.updated_at > now - IN_FLIGHT:
        raise DomainError(IN_PROGRESS)
    if not _claim(card, now, CardPayment.state == card.state, CardPayment.updated_at == card.updated_at):
        raise DomainError(IN_PROGRESS)
    return card, False


def _claim(card, now, *seen):
    """Take the card payment for this worker if it is still as ``seen`` (compare-and-set); it is then
    in flight, which keeps other attempts and reconcile runs away until it settles or goes unknown."""
    claimed = db.session.execute(
        update(CardPayment)
        .where(CardPayment.id == card.id, *seen)
        .values(state="requires_confirmation" if card.intent_id else "creating", updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    db.session.refresh(card)
    return claimed == 1


def _create_intent(client, pledge, card, attempt, now):
    """Create the pledge's intent and commit its id before anything else happens to it."""
    intent = client.create_payment_intent(
        pledge.total_fen, currency="cny",
        capture_method="manual" if pledge.campaign.mode == "all_or_nothing" else "automatic",
        metadata=dict(owner_of(pledge), campaign_id=pledge.campaign_id, unit_id=pledge.unit_id, attempt=attempt),
        description=f"Courtyard pledge {pledge.reference}",
        idempotency_key=idempotency_key("pledge", pledge.id, "create", attempt))
    card.intent_id, card.state, card.updated_at = intent["id"], "requires_confirmation", now
    db.session.commit()
    return intent


def _live_intent(client, pledge, card, now):
    """The pledge's usable intent: the stored one, else one found by metadata, else a new one."""
    if card.intent_id:
        current = client.retrieve_payment_intent(card.intent_id)
        if not is_dead(current):
            return current
    intents = intents_of(client, pledge, card)
    intent = _adopt_best(client, pledge, card, intents, now)
    if intent is not None:
        return intent
    for dead in intents:  # a declined intent cannot be confirmed again: cancel it, then start anew
        cancel_quietly(client, pledge, dead)
    attempt = 1 + max((attempt_of(i) for i in intents), default=0)
    return _create_intent(client, pledge, card, attempt, now)


def _adopt_best(client, pledge, card, intents, now):
    """Keep the most advanced live intent of the pledge (store its id); cancel stray unconfirmed ones."""
    live = sorted((i for i in intents if not is_dead(i)), key=lambda i: LIVE_ORDER.index(i["status"]))
    if not live:
        return None
    best, strays = live[0], live[1:]
    for stray in strays:
        if stray["status"] in CONFIRMED:
            log.error("Pledge %s has a second confirmed intent %s; refund it by hand", pledge.id, stray["id"])
        else:
            cancel_quietly(client, pledge, stray)
    if card.intent_id != best["id"]:
        card.intent_id, card.updated_at = best["id"], now
        db.session.commit()
    return best


def _settle(client, pledge, card, intent, actor, now):
    """Bring the pledge in line with its confirmed intent; returns ``(outcome, reason)``."""
    status = intent["status"]
    if status in CONFIRMED:
        if intent["amount"] != pledge.total_fen or intent["currency"] != "cny":
            _mark_unknown(card, f"intent {intent['id']} is for {intent['amount']} {intent['currency']}", now)
            log.error("Intent %s does not match pledge %s", intent["id"], pledge.id)
            return "pending", None
        if not lock_pending(pledge):  # settled meanwhile (by a webhook)
            db.session.commit()
            return "skipped", None
        if status == "requires_capture":
            card.state, card.last_error, card.updated_at = "authorized", "", now
            pledge_states.mark_authorised(pledge, actor=actor, intent_id=intent["id"], amount_fen=intent["amount"])
        else:
            record_capture(card, intent, now)
            pledge_states.mark_paid(pledge, now, via="card", actor=actor, intent_id=intent["id"],
                                    amount_fen=card.captured_fen)
        db.session.commit()
        return pledge.state, None
    if status == "processing":
        _mark_unknown(card, "the payment is processing", now)
        return "pending", None
    error = intent.get("last_payment_error") or {}
    reason = error.get("message") or {"requires_action": "the card needs authentication, which is not supported",
                                      "canceled": "the payment was cancelled"}.get(status, "no card was given")
    _decline(client, pledge, card, actor, reason, now, [intent])
    return "declined", reason


def _decline(client, pledge, card, actor, reason, now, intents=None):
    """The card payment failed: cancel what is left of it, decline the pledge and give back its stock."""
    for intent in intents if intents is not None else ([{"id": card.intent_id}] if card.intent_id else []):
        cancel_quietly(client, pledge, intent)
    if lock_pending(pledge):
        card.state, card.last_error, card.updated_at = "declined", str(reason)[:500], now
        pledge_states.mark_declined(pledge, actor=actor, intent_id=card.intent_id, reason=str(reason))
    db.session.commit()


def _forget_attempt(card):
    """Drop a card payment begun just now whose first call was never made: the pledge waits for its card as before."""
    db.session.rollback()
    db.session.execute(delete(CardPayment).where(CardPayment.id == card.id, CardPayment.intent_id.is_(None),
                                                 CardPayment.state == "creating"))
    db.session.commit()


def _mark_unknown(card, error, now):
    """The outcome is open: a retry or :func:`reconcile_pending` settles it (unless something already did)."""
    db.session.rollback()
    db.session.execute(
        update(CardPayment).where(CardPayment.id == card.id, CardPayment.state.in_(UNSETTLED))
        .values(state="unknown", last_error=str(getattr(error, "message", error))[:500], updated_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(card)
