"""Card payments for pledges through Stripe: authorise or charge, capture, release, refund, reconcile.

The card is one the unit saved through Stripe.js (:mod:`courtyard.services.payments.saved_cards`); no card
number ever reaches us. One live PaymentIntent per pledge, never two: the CardPayment row is written
before the intent is created, and the intent's id is committed before the card is confirmed, so a
retry or the reconcile job finds it again (by id, or by metadata after a crash) instead of charging
twice; a new attempt (another card after a decline) first cancels the one before.
Payment server trouble leaves a pledge ``payment_pending``; :func:`reconcile_pending` completes or
releases it later. Every change of money is audited in the transaction that makes it.

Checkpoints: unlike most services, these functions commit as they go (:func:`checkpoint`), because
what the payment server has been asked must be on disk before the next call: the CardPayment row
before its intent is created, the intent's id before the card is confirmed, a claim (compare and
set) before this worker calls out, the outcome (settled, declined, unknown) before an error is
raised to the page, and each card on its own in :func:`reconcile_pending`. Call them first in a
request; the edge's own commit afterwards is harmless.
"""

import logging
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CardPayment, Pledge, SavedCard
from courtyard.models.types import utcnow
from courtyard.payments import (
    CardDeclined, InvalidPaymentRequest, PaymentError, PaymentServicePaused, PaymentServiceUnavailable, idempotency_key,
)
from courtyard.services.pledges import pledge_states
from courtyard.services.payments.card_intents import (
    CONFIRMED, IN_FLIGHT, IN_PROGRESS, LIVE_ORDER, PAUSED, PAYABLE, RETRYABLE, UNREACHABLE, UNSETTLED, attempt_of,
    cancel_quietly, card_client, is_dead, intents_of, lock_pending, lock_state, owner_of, pledger_of, card_paid, card_payment_of,
)
from courtyard.payments.decline_reasons import declined_reason, intent_reason, reason_text
from courtyard.services.payments.card_needs_action import AUTHENTICATE, _declined_intent, needs_action
from courtyard.services.payments.payment_guard import payments_paused
from courtyard.services.operations.checkpoint import checkpoint

log = logging.getLogger(__name__)


HOLD_DAYS = 6  # Stripe cancels an uncaptured hold after about 7 days: only campaigns closing sooner may hold


def card_method(campaign, now):
    """How a card pays for a pledge of ``campaign`` at ``now``: ``"charge"`` (flexible, or once it has
    closed), ``"hold"`` (all-or-nothing closing within :data:`HOLD_DAYS`: a manual-capture hold taken at
    close), or ``"save"`` (all-or-nothing: the card is saved and charged off-session at close)."""
    if campaign.mode == "flexible" or campaign.state != "open":
        return "charge"
    return "hold" if campaign.closes_at - now <= timedelta(days=HOLD_DAYS) else "save"


def pay_by_card(pledge, saved_card, *, client=None, actor=None, now=None):
    """Pay a ``payment_pending`` (or ``needs_action``) card pledge with one of its unit's saved cards.

    By :func:`card_method`: ``save`` keeps the card for the close (the pledge is ``authorized``, nothing
    is charged); ``hold`` authorises and ``charge`` charges an intent made with the card. The pledge
    becomes ``authorized`` or ``paid``; when the bank wants 3-D Secure it ``needs_action`` (the page then
    runs Stripe.js' ``confirmCardPayment``); a declined card leaves it ``needs_action`` too, with the reason,
    to pay with another card or by transfer (raises DomainError with the reason). An unreachable
    payment server leaves it for :func:`reconcile_pending`. A retry reuses the pledge's live intent.
    """
    now = now or utcnow()
    if pledge.method != "card" or pledge.state not in PAYABLE:
        raise DomainError(_l("This pledge is not waiting for a card payment."))
    if card_method(pledge.campaign, now) == "save":
        _save_for_close(pledge, saved_card, actor or pledger_of(pledge), now)
        return pledge
    if client is None and payments_paused():
        raise DomainError(PAUSED)  # at once, before a card payment is begun: the pledge stays as it is
    client = card_client(client)
    actor = actor or pledger_of(pledge)
    card, fresh = _card_for_attempt(pledge, saved_card, now, client)
    try:
        intent = _create_intent(client, pledge, card, now) if fresh else _live_intent(client, pledge, card, now)
        if intent["status"] == "requires_confirmation":
            intent = client.confirm_payment_intent(
                intent["id"], idempotency_key=idempotency_key("pledge", pledge.id, "confirm", intent["id"]))
    except CardDeclined as declined:
        reason = declined_reason(declined)
        needs_action(client, pledge, card, actor, reason, now, _declined_intent(client, declined, card))
        raise DomainError(reason_text(reason), "card") from declined
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
        raise DomainError(reason_text(reason), "card")
    if outcome == "pending":
        raise DomainError(UNREACHABLE)
    return pledge


def finish_authentication(pledge, intent_id, *, client=None, actor=None, now=None):
    """After the unit confirmed the pledge's payment with its bank in the browser (3-D Secure): the intent
    now authorised or paid brings the pledge to ``authorized`` or ``paid``; otherwise it still needs
    action and DomainError says why."""
    now, client = now or utcnow(), card_client(client)
    card = card_payment_of(pledge)
    if card is None or not intent_id or card.intent_id != intent_id:
        raise DomainError(_l("This pledge is not waiting for a confirmation with your bank."))
    if pledge.state == "paid":
        return pledge
    try:
        intent = client.retrieve_payment_intent(intent_id)
    except PaymentError as error:
        raise DomainError(UNREACHABLE) from error
    outcome, reason = _settle(client, pledge, card, intent, actor or pledger_of(pledge), now)
    if outcome in ("declined", "needs_action"):
        raise DomainError(reason_text(reason or intent_reason(intent)), "card")
    if outcome == "pending":
        raise DomainError(UNREACHABLE)
    return pledge


def _save_for_close(pledge, saved_card, actor, now):
    """All-or-nothing: keep the card to charge off-session at close; nothing is charged now."""
    card = card_payment_of(pledge)
    if card is None:
        card = CardPayment(pledge_id=pledge.id, amount_fen=pledge.total_fen, created_at=now)
        db.session.add(card)
    elif card.intent_id:  # an earlier on-session attempt: it must never be confirmed now
        raise DomainError(IN_PROGRESS)
    if not lock_pending(pledge):
        raise DomainError(_l("This pledge is not waiting for a card payment."))
    card.saved_card_id, card.state, card.last_error, card.action_due_at, card.updated_at = \
        saved_card.id, "saved", "", None, now
    pledge_states.mark_authorised(pledge, actor=actor, action="card_saved_for_close", saved_card_id=saved_card.id)
    db.session.commit()


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


def _card_for_attempt(pledge, saved_card, now, client):
    """The pledge's CardPayment, claimed for this attempt with ``saved_card``; ``fresh`` when a new
    intent is to be made (the first attempt, or one after a declined card or an unfinished 3-D Secure,
    whose intent is cancelled first so that it can never take the money as well)."""
    card = card_payment_of(pledge)
    if card is None:
        card = CardPayment(pledge_id=pledge.id, state="creating", amount_fen=pledge.total_fen,
                           saved_card_id=saved_card.id, created_at=now, updated_at=now)
        db.session.add(card)
        try:
            checkpoint()
        except IntegrityError:  # a concurrent attempt created it first
            db.session.rollback()
            raise DomainError(IN_PROGRESS) from None
        return card, True
    if card.state in RETRYABLE:
        if not _claim(card, now, CardPayment.state == card.state, CardPayment.updated_at == card.updated_at):
            raise DomainError(IN_PROGRESS)
        if card.intent_id:
            cancel_quietly(client, pledge, client.retrieve_payment_intent(card.intent_id))
        card.attempt, card.intent_id, card.state, card.saved_card_id, card.updated_at = \
            card.attempt + 1, None, "creating", saved_card.id, now
        db.session.commit()
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
    checkpoint()
    db.session.refresh(card)
    return claimed == 1


def _create_intent(client, pledge, card, now, *, off_session=False):
    """Create the pledge's intent for its saved card and commit its id before anything else happens to it
    (off-session: created and confirmed in one call, found again by metadata after a crash)."""
    saved = db.session.get(SavedCard, card.saved_card_id)
    hold = not off_session and card_method(pledge.campaign, now) == "hold"
    intent = client.create_payment_intent(
        pledge.total_fen, currency="cny", capture_method="manual" if hold else "automatic",
        payment_method=saved.payment_method_id, customer=pledge.unit.stripe_customer_id,
        confirm=off_session, off_session=off_session,
        metadata=dict(owner_of(pledge), campaign_id=pledge.campaign_id, unit_id=pledge.unit_id, attempt=card.attempt),
        description=f"Courtyard pledge {pledge.reference}",
        idempotency_key=idempotency_key("pledge", pledge.id, "create", card.attempt))
    card.intent_id, card.state, card.updated_at = intent["id"], "requires_confirmation", now
    checkpoint()
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
    card.attempt = 1 + max([attempt_of(i) for i in intents] + [card.attempt])
    return _create_intent(client, pledge, card, now)


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
        checkpoint()
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
            checkpoint()
            return "skipped", None
        if status == "requires_capture":
            card.state, card.last_error, card.action_due_at, card.updated_at = "authorized", "", None, now
            pledge_states.mark_authorised(pledge, actor=actor, intent_id=intent["id"], amount_fen=intent["amount"])
        else:
            card_paid(pledge, card, intent, actor, now, "card")
        checkpoint()
        return pledge.state, None
    if status == "processing":
        _mark_unknown(card, "the payment is processing", now)
        return "pending", None
    if status == "requires_action":  # the bank wants 3-D Secure: the unit confirms it in the browser
        needs_action(client, pledge, card, actor, AUTHENTICATE, now, None)
        return "needs_action", None
    reason = intent_reason(intent)
    needs_action(client, pledge, card, actor, reason, now, [intent])
    return "declined", reason


def _decline(client, pledge, card, actor, reason, now, intents=None):
    """The card payment failed: cancel what is left of it, decline the pledge and give back its stock."""
    for intent in intents if intents is not None else ([{"id": card.intent_id}] if card.intent_id else []):
        cancel_quietly(client, pledge, intent)
    if lock_state(pledge, ("payment_pending",)):
        card.state, card.last_error, card.updated_at = "declined", str(reason)[:500], now
        pledge_states.mark_declined(pledge, actor=actor, intent_id=card.intent_id, reason=str(reason))
    checkpoint()


def _forget_attempt(card):
    """Drop a card payment begun just now whose first call was never made: the pledge waits for its card as before."""
    db.session.rollback()
    db.session.execute(delete(CardPayment).where(CardPayment.id == card.id, CardPayment.intent_id.is_(None),
                                                 CardPayment.state == "creating"))
    checkpoint()


def _mark_unknown(card, error, now):
    """The outcome is open: a retry or :func:`reconcile_pending` settles it (unless something already did)."""
    db.session.rollback()
    db.session.execute(
        update(CardPayment).where(CardPayment.id == card.id, CardPayment.state.in_(UNSETTLED))
        .values(state="unknown", last_error=str(getattr(error, "message", error))[:500], updated_at=now)
        .execution_options(synchronize_session=False))
    checkpoint()
    db.session.refresh(card)
