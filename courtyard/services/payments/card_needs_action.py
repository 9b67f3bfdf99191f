"""A card pledge that "needs your action": its card could not be charged (the bank wants 3-D Secure, or
declined it). The unit is told, with a link; on the pledge's page it confirms with its bank (Stripe.js'
``confirmCardPayment``), pays with another card, or switches to a bank transfer, within the campaign's
``card_grace_days``. Pledges still unpaid then are released and their packages go back
(:func:`release_overdue`, run by the ``expire-unpaid`` job).

Both servers' ways of asking for 3-D Secure lead here: real Stripe answers an off-session charge with a
402 ``authentication_required`` (the intent back in ``requires_payment_method``), localstripe returns
the intent in ``requires_action``. It calls :func:`checkpoint` after each pledge it changes, as the card payment
services do, so that a later payment server call or the next pledge of a job starts from what is on disk.
"""

import logging
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CardPayment, Pledge, SavedCard
from courtyard.payments import PaymentError
from courtyard.services.operations.checkpoint import checkpoint
from courtyard.services.pledges import pledge_states
from courtyard.payments.decline_reasons import AUTHENTICATION_CODES
from courtyard.services.payments.card_intents import PAYABLE, cancel_quietly, card_of, card_client, lock_state, card_payment_of

log = logging.getLogger(__name__)

AUTHENTICATE = "authentication_required"


def _declined_intent(client, declined, card):
    """The intent a declined create or confirm left (in the error on Stripe; the stored one otherwise)."""
    intent_id = declined.payment_intent_id or card.intent_id
    if not intent_id:
        return None
    if card.intent_id != intent_id:
        card.intent_id = intent_id
    try:
        return [client.retrieve_payment_intent(intent_id)]
    except PaymentError:
        return [{"id": intent_id}]


def needs_action(client, pledge, card, actor, reason, now, intents, *, tell=False):
    """The card could not take the money: the pledge waits for the unit until the grace period ends.
    The intent stays (3-D Secure confirms it); ``tell`` sends the unit the notice with its link."""
    intent_id = (intents or [{}])[0].get("id") if intents else None
    if not lock_state(pledge, PAYABLE + ("authorized",)):  # paid or ended meanwhile
        checkpoint()
        return
    if intent_id:
        card.intent_id = intent_id
    code = str(reason)
    card.state = "requires_action" if code in AUTHENTICATION_CODES else "declined"
    card.last_error, card.updated_at = code[:500], now
    card.action_due_at = card.action_due_at or now + timedelta(days=pledge.campaign.card_grace_days)
    if pledge.state != "needs_action":  # a second refusal while it waits changes only the reason
        pledge_states.mark_needs_action(pledge, actor=actor, tell=tell, attempt=card.attempt, intent_id=card.intent_id,
                                        reason=code)
    checkpoint()


def action_for(pledge, *, client=None):
    """What the pledge's page needs to confirm its payment with the bank (Stripe.js ``confirmCardPayment``):
    the intent's client secret and the card; None when there is nothing to confirm."""
    card = card_payment_of(pledge)
    if pledge.state != "needs_action" or card is None or card.state != "requires_action" or not card.intent_id:
        return None
    try:
        intent = card_client(client).retrieve_payment_intent(card.intent_id)
    except PaymentError:
        return None
    saved = db.session.get(SavedCard, card.saved_card_id) if card.saved_card_id else None
    return {"intent_id": intent["id"], "client_secret": intent.get("client_secret"),
            "payment_method": saved.payment_method_id if saved else ""}


def switch_to_transfer(pledge, actor, now, *, client=None):
    """Pay the pledge by bank transfer instead: its card intent is cancelled, the transfer is due as for
    any transfer pledge (``transfer_grace_days``)."""
    if pledge.method != "card" or pledge.state not in PAYABLE:
        raise DomainError(_l("Only a card pledge that is not paid yet can switch to a bank transfer."))
    card = card_payment_of(pledge)
    if card is not None and card.intent_id:
        client = card_client(client)
        try:
            intent = client.retrieve_payment_intent(card.intent_id)
        except PaymentError as error:
            raise DomainError(_l("The payment server cannot be reached; nothing was changed. Try again later.")) from error
        if intent.get("status") in ("succeeded", "requires_capture", "processing"):
            raise DomainError(_l("The card payment has gone through meanwhile; reload the page."))
        cancel_quietly(client, pledge, intent)
    if not lock_state(pledge, PAYABLE):
        checkpoint()
        raise DomainError(_l("Only a card pledge that is not paid yet can switch to a bank transfer."))
    if card is not None:
        card.state, card.action_due_at, card.updated_at = "released", None, now
    pledge_states.mark_switched_to_transfer(pledge, now + timedelta(days=pledge.campaign.transfer_grace_days),
                                            actor=actor)
    checkpoint()
    return pledge


def release_overdue(now, *, client=None):
    """Release the pledges whose unit did not act within the grace period: intent cancelled, packages back,
    the unit told. Safe to run twice; returns how many were released."""
    due = db.session.scalars(select(Pledge).join(CardPayment, CardPayment.pledge_id == Pledge.id)
                             .where(Pledge.state == "needs_action", CardPayment.action_due_at <= now)
                             .order_by(Pledge.id)).all()
    released = 0
    for pledge in due:
        card = card_of(pledge)
        if card.intent_id:
            client = card_client(client)
            try:
                intent = client.retrieve_payment_intent(card.intent_id)
            except PaymentError as error:
                log.warning("Pledge %s: intent %s not read (%r); released next run", pledge.id, card.intent_id, error)
                continue
            if intent.get("status") in ("succeeded", "requires_capture", "processing"):
                continue  # paid at the last moment: the webhook or the reconcile job settles it
            cancel_quietly(client, pledge, intent)
        if not lock_state(pledge, ("needs_action",)):
            checkpoint()
            continue
        card.state, card.updated_at = "released", now
        pledge_states.mark_released(pledge, action="card_pledge_released_unpaid", letter="card_released",
                                    intent_id=card.intent_id, reason=card.last_error)
        checkpoint()
        released += 1
    return released
