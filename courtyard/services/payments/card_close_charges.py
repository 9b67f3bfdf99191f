"""Charging saved cards when a funded all-or-nothing campaign closes: one off-session PaymentIntent per
pledge (``confirm=true, off_session=true``), never two.

The card payment is marked ``charging`` and committed before the intent is made; a run that finds a
pledge ``charging`` (a crash, a lost answer) looks for the intent of that attempt by metadata before
making one, so a retry or the next close run completes the charge instead of charging twice. A charge
the bank refuses or wants confirmed with 3-D Secure leaves the pledge needing the unit's action
(:mod:`courtyard.services.payments.card_needs_action`). It calls :func:`checkpoint` because the claim must be on
disk before the payment server is called, and each pledge's outcome before the next pledge's charge.
"""

import logging

from sqlalchemy import update

from courtyard.extensions import db
from courtyard.models import CardPayment
from courtyard.messages.pledge_letters import notify
from courtyard.payments import CardDeclined, PaymentServiceUnavailable
from courtyard.services.operations.checkpoint import checkpoint
from courtyard.services.payments.card_intents import IN_FLIGHT, card_client, intents_of, lock_state, card_paid, card_payment_of
from courtyard.payments.decline_reasons import declined_reason, intent_reason
from courtyard.services.payments.card_needs_action import needs_action
from courtyard.services.payments.card_payments import attempt_of, _create_intent

log = logging.getLogger(__name__)


def charges_at_close(pledge):
    """True when the pledge's card was saved to be charged at close (not a hold to capture)."""
    card = card_payment_of(pledge)
    return card is not None and card.state in ("saved", "charging") and card.intent_id is None


def charge_saved_card(pledge, now, *, client=None):
    """Charge the pledge's saved card off-session; returns ``paid``, ``needs_action``, ``pending`` or ``skipped``."""
    card = card_payment_of(pledge)
    if card is None or pledge.state != "authorized" or card.state not in ("saved", "charging") or card.intent_id:
        return "skipped"
    was = card.state
    taken = db.session.execute(
        update(CardPayment).where(CardPayment.id == card.id, CardPayment.state == was,
                                  CardPayment.updated_at == card.updated_at,
                                  *(() if was == "saved" else (CardPayment.updated_at <= now - IN_FLIGHT,)))
        .values(state="charging", updated_at=now).execution_options(synchronize_session=False)).rowcount
    checkpoint()
    db.session.refresh(card)
    if taken != 1:
        return "skipped"  # another run is charging it
    client = card_client(client)
    intent = _earlier_attempt(client, pledge, card) if was == "charging" else None
    try:
        if intent is None:
            intent = _create_intent(client, pledge, card, now, off_session=True)
    except CardDeclined as declined:  # real Stripe: 402 with the intent; localstripe: 402 for a declined card
        intent = _earlier_attempt(client, pledge, card)
        reason = declined_reason(declined)
        needs_action(client, pledge, card, None, reason, now, [intent] if intent else None, tell=True)
        return "needs_action"
    except PaymentServiceUnavailable:
        db.session.rollback()
        log.warning("Pledge %s: the off-session charge's outcome is unknown; the next run completes it", pledge.id)
        return "pending"
    return _outcome(client, pledge, card, intent, now)


def _outcome(client, pledge, card, intent, now):
    status = intent["status"]
    card.intent_id = intent["id"]
    if status == "succeeded":
        if lock_state(pledge, ("authorized",)):
            card_paid(pledge, card, intent, None, now, "close_charge")
            notify("campaign_funded", pledge)
        checkpoint()
        return "paid"
    if status == "processing":
        checkpoint()
        return "pending"
    reason = "requires_action" if status == "requires_action" else intent_reason(intent)
    needs_action(client, pledge, card, None, reason, now, [intent], tell=True)
    return "needs_action"


def _earlier_attempt(client, pledge, card):
    """The intent this attempt already made (found by metadata: listing sees writes at once), if any."""
    mine = [i for i in intents_of(client, pledge, card) if attempt_of(i) == card.attempt]
    return mine[0] if mine else None
