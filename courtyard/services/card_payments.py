"""Card payments for pledges through Stripe: authorise or charge, capture, release, refund, reconcile.

One PaymentIntent per pledge, never two: the CardPayment row is written before the intent is
created, and the intent's id is committed before the card is confirmed, so a retry or the
reconcile job finds it again (by id, or by metadata after a crash) instead of charging twice.
Payment server trouble leaves a pledge ``payment_pending``; :func:`reconcile_pending` completes or
releases it later. Every change of money is audited in the transaction that makes it.
"""

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.formatting import fen
from courtyard.models import CardPayment, Pledge, Refund, User, WebhookEvent
from courtyard.models.types import utcnow
from courtyard.notifications import notify
from courtyard.payments import (CardDeclined, InvalidPaymentRequest, PaymentError, PaymentServiceUnavailable,
                                client_from_config, idempotency_key)
from courtyard.payments.webhooks import event_id, event_object
from courtyard.services import audit, stock

log = logging.getLogger(__name__)

UNSETTLED = ("creating", "requires_confirmation", "unknown")  # card payments whose outcome is open
IN_FLIGHT = timedelta(minutes=2)  # a payment attempt touched more recently than this may still be running
CONFIRMED = ("requires_capture", "succeeded")
CANCELLABLE = ("requires_payment_method", "requires_confirmation", "requires_action", "requires_capture")
LIVE_ORDER = ("succeeded", "requires_capture", "processing", "requires_confirmation", "requires_payment_method")
UNREACHABLE = _l("The payment server cannot be reached. Your pledge is kept as payment pending and will be "
                 "completed or released automatically.")
IN_PROGRESS = _l("A card payment for this pledge is already under way. It will be completed or released "
                 "automatically.")


# Paying ---------------------------------------------------------------------------------------

def pay_by_card(pledge, card_number, *, client=None, actor=None, now=None):
    """Authorise (all-or-nothing campaign) or charge (flexible) the card for a ``payment_pending`` pledge.

    Returns the pledge, then ``authorized`` or ``paid``. A declined card declines the pledge and gives
    its stock back; an unreachable payment server leaves it ``payment_pending`` for
    :func:`reconcile_pending`. Both raise DomainError. A retry reuses the pledge's one intent.
    """
    now = now or utcnow()
    number = _card_digits(card_number)
    if pledge.method != "card" or pledge.state != "payment_pending":
        raise DomainError(_l("This pledge is not waiting for a card payment."))
    client = _client(client)
    actor = actor or _pledger(pledge)
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
    client = _client(client)
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
    if current is not None and not _dead(current):
        intent = current
    else:
        intents = _intents_of(client, pledge, card)
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
        metadata=dict(_owner(pledge), campaign_id=pledge.campaign_id, unit_id=pledge.unit_id, attempt=attempt),
        description=f"Courtyard pledge {pledge.reference}",
        idempotency_key=idempotency_key("pledge", pledge.id, "create", attempt))
    card.intent_id, card.state, card.updated_at = intent["id"], "requires_confirmation", now
    db.session.commit()
    return intent


def _live_intent(client, pledge, card, now):
    """The pledge's usable intent: the stored one, else one found by metadata, else a new one."""
    if card.intent_id:
        current = client.retrieve_payment_intent(card.intent_id)
        if not _dead(current):
            return current
    intents = _intents_of(client, pledge, card)
    intent = _adopt_best(client, pledge, card, intents, now)
    if intent is not None:
        return intent
    for dead in intents:  # a declined intent cannot be confirmed again: cancel it, then start anew
        _cancel_quietly(client, pledge, dead)
    attempt = 1 + max((_attempt(i) for i in intents), default=0)
    return _create_intent(client, pledge, card, attempt, now)


def _adopt_best(client, pledge, card, intents, now):
    """Keep the most advanced live intent of the pledge (store its id); cancel stray unconfirmed ones."""
    live = sorted((i for i in intents if not _dead(i)), key=lambda i: LIVE_ORDER.index(i["status"]))
    if not live:
        return None
    best, strays = live[0], live[1:]
    for stray in strays:
        if stray["status"] in CONFIRMED:
            log.error("Pledge %s has a second confirmed intent %s; refund it by hand", pledge.id, stray["id"])
        else:
            _cancel_quietly(client, pledge, stray)
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
        if not _lock_pending(pledge):  # settled meanwhile (by a webhook)
            db.session.commit()
            return "skipped", None
        card.last_error, card.updated_at = "", now
        if status == "requires_capture":
            pledge.state, card.state = "authorized", "authorized"
            audit.record(actor, "card_authorized", "pledge", pledge.id, intent_id=intent["id"], amount_fen=intent["amount"])
        else:
            pledge.state, pledge.paid_at = "paid", now
            card.state, card.captured_fen = "captured", _received_fen(intent)
            audit.record(actor, "card_charged", "pledge", pledge.id, intent_id=intent["id"], amount_fen=card.captured_fen)
        notify("pledge_confirmed", pledge)
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
        _cancel_quietly(client, pledge, intent)
    if _lock_pending(pledge):
        pledge.state = "declined"
        card.state, card.last_error, card.updated_at = "declined", str(reason)[:500], now
        stock.release_stock(pledge)
        audit.record(actor, "card_declined", "pledge", pledge.id, intent_id=card.intent_id, reason=str(reason))
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


# Capturing, releasing, refunding ----------------------------------------------------------------

def capture(pledge, *, client=None, actor=None, now=None):
    """Take the money held for an ``authorized`` card pledge (a funded all-or-nothing campaign's close).

    The pledge becomes ``paid``. One already ``paid`` is left alone, so closing twice captures once.
    """
    if pledge.state == "paid":
        return pledge
    if pledge.state != "authorized" or pledge.method != "card":
        raise DomainError(_l("Only a card hold can be captured."))
    now, client, card = now or utcnow(), _client(client), _card_of(pledge)
    try:
        try:
            intent = client.capture_payment_intent(
                card.intent_id, idempotency_key=idempotency_key("pledge", pledge.id, "capture", card.intent_id))
        except InvalidPaymentRequest:  # captured already (before a crash, or by the webhook's sender)?
            intent = client.retrieve_payment_intent(card.intent_id)
    except PaymentError as error:
        raise _payment_trouble(error) from error
    if intent["status"] != "succeeded":
        raise DomainError(_l("The card hold could not be captured; the payment is %(status)s.", status=intent["status"]))
    db.session.refresh(pledge, with_for_update=True)
    if pledge.state == "authorized":
        pledge.state, pledge.paid_at = "paid", now
        card.state, card.captured_fen, card.updated_at = "captured", _received_fen(intent), now
        audit.record(actor, "card_captured", "pledge", pledge.id, intent_id=card.intent_id, amount_fen=card.captured_fen)
    db.session.commit()
    return pledge


def release(pledge, reason, *, client=None, actor=None):
    """End a pledge without taking its money: cancel its card hold, or stop waiting for its transfer.

    ``reason`` is the state it ends in: ``"released"`` (the campaign failed) or ``"cancelled"`` (by
    the unit). Its stock goes back. A pledge already released or cancelled is left alone.
    """
    if reason not in ("released", "cancelled"):
        raise ValueError(f"release reason must be 'released' or 'cancelled', not {reason!r}")
    if pledge.state in ("released", "cancelled"):
        return pledge
    if pledge.state not in ("authorized", "awaiting_transfer"):
        raise DomainError(_l("Only a card hold or a pledge waiting for its transfer can be released."))
    was, card = pledge.state, None
    if was == "authorized":
        client, card = _client(client), _card_of(pledge)
        try:
            try:
                client.cancel_payment_intent(card.intent_id, cancellation_reason="abandoned",
                                             idempotency_key=idempotency_key("pledge", pledge.id, "cancel", card.intent_id))
            except InvalidPaymentRequest:  # cancelled already?
                status = client.retrieve_payment_intent(card.intent_id)["status"]
                if status != "canceled":
                    raise DomainError(_l("The card hold could not be released; the payment is %(status)s.",
                                         status=status)) from None
        except PaymentError as error:
            raise _payment_trouble(error) from error
    db.session.refresh(pledge, with_for_update=True)
    if pledge.state == was:
        pledge.state = reason
        if card is not None:
            card.state, card.updated_at = "released", utcnow()
        stock.release_stock(pledge)
        audit.record(actor, "card_hold_released" if card else "pledge_released", "pledge", pledge.id,
                     state=reason, intent_id=card.intent_id if card else None, amount_fen=pledge.total_fen)
        if reason == "cancelled":
            notify("pledge_cancelled", pledge)
    db.session.commit()
    return pledge


def refund(pledge, amount_fen, reason, actor, *, client=None, now=None):
    """Pay back part or all of a ``paid`` pledge, never more than was paid less what was refunded.

    Card payments are refunded through Stripe; for transfers the Refund is recorded and the money goes
    back by bank. The pledge stays ``paid``; ``refunded_fen`` grows.
    """
    _refund(pledge, amount_fen, reason, actor, client, now or utcnow())
    db.session.commit()
    return pledge


def _refund(pledge, amount_fen, reason, actor, client, now):
    """Refund without committing; the pledge row stays locked (limit held) until the caller commits."""
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise DomainError(_l("The amount to refund must be more than zero."), "amount")
    db.session.refresh(pledge)
    if pledge.state != "paid":
        raise DomainError(_l("Only a paid pledge can be refunded."))
    paid, before = _paid_fen(pledge), pledge.refunded_fen
    reserved = db.session.execute(
        update(Pledge)
        .where(Pledge.id == pledge.id, Pledge.state == "paid", Pledge.refunded_fen == before,
               Pledge.refunded_fen + amount_fen <= paid)
        .values(refunded_fen=Pledge.refunded_fen + amount_fen)
        .execution_options(synchronize_session=False)).rowcount
    if reserved != 1:
        db.session.rollback()
        db.session.refresh(pledge)
        raise DomainError(_l("At most %(left)s can still be refunded.", left=fen(max(paid - pledge.refunded_fen, 0))),
                          "amount")
    stripe_id = None
    if pledge.method == "card":
        try:
            stripe_id = _client(client).create_refund(
                _card_of(pledge).intent_id, amount_fen, reason="requested_by_customer", metadata=_owner(pledge),
                idempotency_key=idempotency_key("pledge", pledge.id, "refund", before, amount_fen))["id"]
        except PaymentError as error:
            db.session.rollback()
            raise _payment_trouble(error) from error
    db.session.refresh(pledge)
    refund_row = Refund(pledge_id=pledge.id, amount_fen=amount_fen, reason=reason, stripe_refund_id=stripe_id,
                        actor_id=getattr(actor, "id", None), created_at=now)
    db.session.add(refund_row)
    db.session.flush()
    notify("refund_issued", pledge, amount_fen=amount_fen, reason=reason, refund_id=refund_row.id)
    audit.record(actor, "pledge_refunded", "pledge", pledge.id, amount_fen=amount_fen, refunded_fen=pledge.refunded_fen,
                 stripe_refund_id=stripe_id, reason=reason)


def cancel_by_unit(pledge, actor, now, *, client=None):
    """The unit cancels its pledge before the campaign closes: a card hold is released, a paid pledge
    refunded in full, one waiting for its transfer no longer waits. The pledge ends ``cancelled``."""
    campaign = pledge.campaign
    if campaign.state != "open" or now >= campaign.closes_at:
        raise DomainError(_l("A pledge can only be cancelled before its campaign closes."))
    if pledge.state in ("authorized", "awaiting_transfer"):
        return release(pledge, "cancelled", client=client, actor=actor)
    if pledge.state == "payment_pending":
        raise DomainError(_l("The card payment is still being processed; try again in a few minutes."))
    if pledge.state != "paid":
        raise DomainError(_l("This pledge can no longer be cancelled."))
    left = _paid_fen(pledge) - pledge.refunded_fen
    if left > 0:
        _refund(pledge, left, "cancelled by the unit", actor, client, now)
    pledge.state = "cancelled"
    stock.release_stock(pledge)
    audit.record(actor, "pledge_cancelled", "pledge", pledge.id, refunded_fen=pledge.refunded_fen)
    notify("pledge_cancelled", pledge)
    db.session.commit()
    return pledge


# Webhooks ---------------------------------------------------------------------------------------

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
    if card is None or intent.get("status") != "succeeded" or not _lock_state(card.pledge, ("authorized", "payment_pending")):
        return
    pledge, received = card.pledge, _received_fen(intent)
    if intent.get("amount") != pledge.total_fen or received != pledge.total_fen or intent.get("currency") != "cny":
        log.error("Event %s: intent %s received %s, pledge %s is %s", key, intent.get("id"), received, pledge.id,
                  pledge.total_fen)
        audit.record(None, "card_webhook_amount_mismatch", "pledge", pledge.id, event_id=key, intent_id=card.intent_id,
                     received_fen=received)
        return
    pledge.state, pledge.paid_at = "paid", now
    card.state, card.captured_fen, card.last_error, card.updated_at = "captured", received, "", now
    audit.record(None, "card_paid_by_webhook", "pledge", pledge.id, event_id=key, intent_id=card.intent_id,
                 amount_fen=received)


def _intent_failed(intent, key, now):
    card = _card_by_intent(intent)
    if card is None or not _lock_state(card.pledge, ("payment_pending",)):
        return
    reason = str((intent.get("last_payment_error") or {}).get("message") or "the payment failed")
    card.state, card.last_error, card.updated_at = "declined", reason[:500], now
    card.pledge.state = "declined"
    stock.release_stock(card.pledge)
    audit.record(None, "card_declined", "pledge", card.pledge_id, event_id=key, intent_id=card.intent_id, reason=reason)


def _card_by_intent(intent):
    intent_id = intent.get("id") if isinstance(intent, dict) else None
    if not intent_id:
        return None
    return db.session.scalar(select(CardPayment).where(CardPayment.intent_id == intent_id).with_for_update())


# Helpers ----------------------------------------------------------------------------------------

def _client(client):
    return client or client_from_config(current_app.config)


def _card_digits(card_number):
    digits = "".join(ch for ch in str(card_number or "") if ch not in " -")
    if not (digits.isdigit() and 12 <= len(digits) <= 19 and _luhn_ok(digits)):
        raise DomainError(_l("Enter a valid card number."), "card_number")
    return digits


def _luhn_ok(digits):
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(digits)):
        total += digit if position % 2 == 0 else (digit * 2 - 9 if digit > 4 else digit * 2)
    return total % 10 == 0


def _pledger(pledge):
    return db.session.get(User, pledge.user_id) if pledge.user_id else None


def _owner(pledge):
    """The metadata that finds a pledge's intents: its id and its unique reference (ids may be reused
    when a development database is rebuilt against the same Stripe account)."""
    return {"pledge_id": pledge.id, "pledge_reference": pledge.reference}


def _intents_of(client, pledge, card):
    """Every intent ever made for the pledge (listing is read-after-write consistent)."""
    since = None if client.localstripe_compat else int(card.created_at.timestamp()) - 3600
    return client.find_payment_intents(_owner(pledge), created_gte=since)


def _dead(intent):
    """An intent that can never take this pledge's money: cancelled, declined, or needing 3-D Secure."""
    status = intent["status"]
    return (status in ("canceled", "requires_action")
            or (status == "requires_payment_method" and bool(intent.get("last_payment_error"))))


def _attempt(intent):
    try:
        return int((intent.get("metadata") or {}).get("attempt", 1))
    except ValueError:
        return 1


def _cancel_quietly(client, pledge, intent):
    """Cancel an intent that must not be confirmed later; failures are logged, not raised."""
    if intent.get("status", "requires_payment_method") not in CANCELLABLE:
        return
    try:
        client.cancel_payment_intent(intent["id"], cancellation_reason="abandoned",
                                     idempotency_key=idempotency_key("pledge", pledge.id, "cancel", intent["id"]))
    except PaymentError as error:
        log.warning("Could not cancel intent %s of pledge %s: %r", intent["id"], pledge.id, error)


def _received_fen(intent):
    """What a succeeded intent took: ``amount_received`` on Stripe, the captured charge on localstripe."""
    if "amount_received" in intent:
        return intent["amount_received"]
    charge = intent.get("latest_charge")
    return charge.get("amount", 0) if isinstance(charge, dict) and charge.get("captured") else 0


def _lock_pending(pledge):
    return _lock_state(pledge, ("payment_pending",))


def _lock_state(pledge, states):
    """Re-read the pledge under a row lock (PostgreSQL); True if it is still in one of ``states``."""
    db.session.refresh(pledge, with_for_update=True)
    return pledge.state in states


def _card_of(pledge):
    card = db.session.scalar(select(CardPayment).where(CardPayment.pledge_id == pledge.id))
    if card is None or not card.intent_id:
        raise DomainError(_l("This pledge has no card payment."))
    return card


def _paid_fen(pledge):
    """What was received for a paid pledge: the captured card amount, or the exact transfer."""
    if pledge.method == "card":
        card = db.session.scalar(select(CardPayment).where(CardPayment.pledge_id == pledge.id))
        return card.captured_fen if card else 0
    return pledge.total_fen


def _payment_trouble(error):
    if isinstance(error, PaymentServiceUnavailable):
        return DomainError(_l("The payment server cannot be reached; nothing was changed. Try again later."))
    return DomainError(_l("The payment server refused: %(reason)s", reason=error.message))
