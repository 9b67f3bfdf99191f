"""A pledge's payment state moves only along its transition table, and every path that pays it
(here the Stripe webhook) sends the unit the same confirmation letter."""

import json
import time

import pytest
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import (
    PLEDGE_STATES, PLEDGE_TRANSITIONS, AuditEvent, CardPayment, LedgerTransaction, OutboxMessage, PartnerUnit, Pledge,
)
from courtyard.models.types import utcnow
from courtyard.payments.webhooks import SIGNATURE_HEADER, sign
from courtyard.services.pledges import pledge_states

EMAIL = "finance@unit.example.cn"


def _with_card(app, pledge, card_state="unknown"):
    """Give the pledge's unit a contact e-mail and the pledge a card payment whose intent is ``pi_…``."""
    with app.app_context():
        row = db.session.get(Pledge, pledge.id)
        db.session.get(PartnerUnit, row.unit_id).contact_email = EMAIL
        intent_id = f"pi_states_{pledge.id}_{int(time.time() * 1000)}"
        db.session.add(CardPayment(pledge_id=pledge.id, intent_id=intent_id, state=card_state,
                                   amount_fen=pledge.total_fen, created_at=utcnow(), updated_at=utcnow()))
        db.session.commit()
        return intent_id


def _post_succeeded(app, client, intent_id, amount_fen):
    event = {"id": f"evt_{intent_id}", "object": "event", "type": "payment_intent.succeeded",
             "data": {"object": {"id": intent_id, "object": "payment_intent", "status": "succeeded",
                                 "amount": amount_fen, "amount_received": amount_fen, "currency": "cny"}}}
    body = json.dumps(event).encode()
    signature = sign(body, app.config["STRIPE_WEBHOOK_SECRET"], time.time())
    return client.post("/stripe/webhook", data=body, headers={SIGNATURE_HEADER: signature,
                                                             "Content-Type": "application/json"})


def _letters(app, pledge):
    with app.app_context():
        return {m.dedupe_key: (m.to_address, m.subject) for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"pledge:{pledge.id}:%")))}


def test_pledge_paid_by_webhook_gets_its_confirmation_letter(app, client, pledge_in, snapshot):
    """When the card's answer was lost and Stripe's webhook is what makes the pledge paid, does the unit
    still get its "pledge confirmed" letter, queued with the payment (as the web and job paths send it)?"""
    pledge = pledge_in(mode="flexible", quantity=2, price_fen=4000)
    intent_id = _with_card(app, pledge)

    response = _post_succeeded(app, client, intent_id, 8000)

    assert response.get_json() == {"received": True, "duplicate": False}
    after = snapshot(pledge)
    assert (after.state, after.card_state, after.captured_fen) == ("paid", "captured", 8000)
    letters = _letters(app, pledge)
    assert list(letters) == [f"pledge:{pledge.id}:confirmed"]
    to_address, subject = letters[f"pledge:{pledge.id}:confirmed"]
    assert to_address == EMAIL and pledge.reference in subject
    with app.app_context():
        posted = db.session.scalars(select(LedgerTransaction).where(LedgerTransaction.pledge_id == pledge.id)).all()
        assert [(t.kind, t.source_ref) for t in posted] == [("payment_captured", f"pledge:{pledge.id}:paid")]


def test_hold_captured_by_webhook_is_not_confirmed_twice(app, client, pledge_in, snapshot):
    """A card hold was confirmed by letter when it was placed: when the webhook says it was captured,
    is the pledge paid without a second "pledge confirmed" letter?"""
    pledge = pledge_in("authorized", quantity=1, price_fen=5000)
    intent_id = _with_card(app, pledge, card_state="authorized")

    _post_succeeded(app, client, intent_id, 5000)

    assert snapshot(pledge).state == "paid"
    assert _letters(app, pledge) == {}


@pytest.mark.parametrize("state, move", [
    ("declined", lambda p: pledge_states.mark_paid(p, utcnow(), via="webhook")),
    ("expired", lambda p: pledge_states.mark_paid(p, utcnow(), via="transfer")),
    ("paid", lambda p: pledge_states.mark_authorised(p)),
    ("paid", lambda p: pledge_states.mark_paid(p, utcnow(), via="capture")),
    ("released", lambda p: pledge_states.mark_cancelled(p, by_unit=True, action="pledge_cancelled")),
    ("awaiting_transfer", lambda p: pledge_states.mark_declined(p)),
    ("cancelled", lambda p: pledge_states.mark_expired(p)),
], ids=["declined-paid", "expired-paid", "paid-authorised", "paid-paid", "released-cancelled",
        "transfer-declined", "cancelled-expired"])
def test_illegal_move_is_refused_and_changes_nothing(app, pledge_in, snapshot, state, move):
    """Is a move the transition table does not allow refused with a message, leaving the pledge, its
    stock, the ledger, the audit trail and the unit's letters as they were?"""
    pledge = pledge_in(state, method="transfer" if state == "awaiting_transfer" else "card")
    before = snapshot(pledge)

    with app.app_context():
        row = db.session.get(Pledge, pledge.id)
        with pytest.raises(pledge_states.IllegalTransition, match="cannot go from"):
            move(row)
        db.session.commit()
        assert db.session.scalar(select(LedgerTransaction.id).where(LedgerTransaction.pledge_id == pledge.id)) is None
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.entity_id == pledge.id,
                                                             AuditEvent.entity == "pledge")) is None

    assert snapshot(pledge) == before
    assert _letters(app, pledge) == {}


def test_transition_table_covers_every_state():
    """Does every pledge state appear in the table, and does every move lead to a known state?"""
    assert set(PLEDGE_TRANSITIONS) == set(PLEDGE_STATES)
    assert all(target in PLEDGE_STATES for targets in PLEDGE_TRANSITIONS.values() for target in targets)
