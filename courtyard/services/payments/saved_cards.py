"""A partner unit's cards saved with Stripe: the unit's Customer, SetupIntents the browser confirms
with Stripe.js (the card number goes from the browser to Stripe, never to us), the cards it saved
(brand, last four digits, expiry), and removing one. The unit's new Customer id is committed at once
(:func:`checkpoint`) so that a retry uses it instead of making a second Customer."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import SavedCard
from courtyard.payments import PaymentError, idempotency_key
from courtyard.services.operations.checkpoint import checkpoint
from courtyard.services.operations import audit
from courtyard.services.payments.card_intents import card_client, payment_trouble


def customer_for(unit, client):
    """The unit's Stripe Customer id, created (and committed) the first time it saves a card."""
    if unit.stripe_customer_id:
        return unit.stripe_customer_id
    customer = client.create_customer(name=unit.name, metadata={"unit_id": unit.id},
                                      idempotency_key=idempotency_key("unit", unit.id, "customer"))
    db.session.refresh(unit, with_for_update=True)
    if not unit.stripe_customer_id:  # a concurrent request may have saved one first: keep that
        unit.stripe_customer_id = customer["id"]
    checkpoint()
    return unit.stripe_customer_id


def begin_setup(pledge, *, client=None):
    """A SetupIntent for a new card of the pledge's unit; the browser confirms it with its client secret."""
    client = card_client(client)
    try:
        customer = customer_for(pledge.unit, client)
        intent = client.create_setup_intent(customer, metadata={"pledge_id": pledge.id, "unit_id": pledge.unit_id})
    except PaymentError as error:
        raise payment_trouble(error) from error
    return {"id": intent["id"], "client_secret": intent["client_secret"]}


def save_from_setup(unit, setup_intent_id, actor, now, *, client=None):
    """The card a confirmed SetupIntent of the unit saved, recorded once (a second call returns the same)."""
    client = card_client(client)
    try:
        intent = client.retrieve_setup_intent(setup_intent_id)
    except PaymentError as error:
        raise payment_trouble(error) from error
    if intent.get("customer") != unit.stripe_customer_id or not unit.stripe_customer_id:
        raise DomainError(_l("This card was not saved for your unit."), "card")
    if intent.get("status") != "succeeded" or not intent.get("payment_method"):
        raise DomainError(_l("The card was not saved: its bank did not confirm it. Try again or use another card."),
                          "card")
    method_id = intent["payment_method"]
    if isinstance(method_id, dict):
        method_id = method_id["id"]
    known = db.session.scalar(select(SavedCard).where(SavedCard.unit_id == unit.id,
                                                      SavedCard.payment_method_id == method_id))
    if known is not None:
        return known
    try:
        details = client.retrieve_payment_method(method_id).get("card") or {}
    except PaymentError as error:
        raise payment_trouble(error) from error
    card = SavedCard(unit_id=unit.id, payment_method_id=method_id, brand=str(details.get("brand") or "card")[:20],
                     last4=str(details.get("last4") or "")[:4], exp_month=int(details.get("exp_month") or 0),
                     exp_year=int(details.get("exp_year") or 0), created_at=now)
    db.session.add(card)
    db.session.flush()
    audit.record(actor, "card_saved", "saved_card", card.id, unit_id=unit.id, last4=card.last4)
    return card


def cards_of(unit_id):
    """The unit's cards it has not removed, newest first."""
    return db.session.scalars(select(SavedCard).where(SavedCard.unit_id == unit_id, SavedCard.removed_at.is_(None))
                              .order_by(SavedCard.id.desc())).all()


def card_of(unit_id, card_id):
    """One of the unit's cards still saved, else DomainError (another unit's card is never found)."""
    card = db.session.get(SavedCard, card_id) if card_id else None
    if card is None or card.unit_id != unit_id or card.removed_at is not None:
        raise DomainError(_l("Choose one of your saved cards."), "saved_card")
    return card


def remove(unit_id, card_id, actor, now, *, client=None):
    """Forget a saved card at Stripe and here; pledges waiting to be charged on it are not touched
    here (they are charged at close if the card is still there, and need action otherwise)."""
    card = card_of(unit_id, card_id)
    try:
        card_client(client).detach_payment_method(card.payment_method_id,
                                              idempotency_key=idempotency_key("saved_card", card.id, "detach"))
    except PaymentError as error:
        raise payment_trouble(error) from error
    card.removed_at = now
    audit.record(actor, "card_removed", "saved_card", card.id, unit_id=unit_id, last4=card.last4)
    return card
