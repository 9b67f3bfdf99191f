"""Settling card and transfer pledges: capture a hold, release it, refund part or all, cancel for the unit.

Every change of money is audited and notified in the transaction that makes it.
"""


from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages.pledge_letters import notify
from courtyard.models import Pledge, Refund
from courtyard.models.types import utcnow
from courtyard.payments import InvalidPaymentRequest, PaymentError, idempotency_key
from courtyard.services.money import ledger
from courtyard.services.operations import audit
from courtyard.services.payments.card_intents import card_client, card_of, owner_of, paid_fen, payment_trouble, record_capture
from courtyard.services.pledges import pledge_states
from courtyard.services.supply import supply_release
from courtyard.text.formatting import fen



def capture(pledge, *, client=None, actor=None, now=None):
    """Take the money held for an ``authorized`` card pledge (a funded all-or-nothing campaign's close).

    The pledge becomes ``paid``. One already ``paid`` is left alone, so closing twice captures once.
    """
    if pledge.state == "paid":
        return pledge
    if pledge.state != "authorized" or pledge.method != "card":
        raise DomainError(_l("Only a card hold can be captured."))
    now, client, card = now or utcnow(), card_client(client), card_of(pledge)
    try:
        try:
            intent = client.capture_payment_intent(
                card.intent_id, idempotency_key=idempotency_key("pledge", pledge.id, "capture", card.intent_id))
        except InvalidPaymentRequest:  # captured already (before a crash, or by the webhook's sender)?
            intent = client.retrieve_payment_intent(card.intent_id)
    except PaymentError as error:
        raise payment_trouble(error) from error
    if intent["status"] != "succeeded":
        raise DomainError(_l("The card hold could not be captured; the payment is %(status)s.", status=intent["status"]))
    db.session.refresh(pledge, with_for_update=True)
    if pledge.state == "authorized":
        record_capture(card, intent, now)
        pledge_states.mark_paid(pledge, now, via="capture", actor=actor, intent_id=card.intent_id,
                                amount_fen=card.captured_fen)
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
        client, card = card_client(client), card_of(pledge)
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
            raise payment_trouble(error) from error
    db.session.refresh(pledge, with_for_update=True)
    if pledge.state == was:
        if card is not None:
            card.state, card.updated_at = "released", utcnow()
        audit_facts = dict(action="card_hold_released" if card else "pledge_released", actor=actor, state=reason,
                           intent_id=card.intent_id if card else None, amount_fen=pledge.total_fen)
        if reason == "released":  # the campaign failed
            pledge_states.mark_released(pledge, **audit_facts)
        else:
            pledge_states.mark_cancelled(pledge, by_unit=True, **audit_facts)
            supply_release.release_pledge(actor, pledge, utcnow(), supply_release.release_reason(pledge))
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
    paid, before = paid_fen(pledge), pledge.refunded_fen
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
            stripe_id = card_client(client).create_refund(
                card_of(pledge).intent_id, amount_fen, reason="requested_by_customer", metadata=owner_of(pledge),
                idempotency_key=idempotency_key("pledge", pledge.id, "refund", before, amount_fen))["id"]
        except PaymentError as error:
            db.session.rollback()
            raise payment_trouble(error) from error
    db.session.refresh(pledge)
    refund_row = Refund(pledge_id=pledge.id, amount_fen=amount_fen, reason=reason, stripe_refund_id=stripe_id,
                        actor_id=getattr(actor, "id", None), created_at=now)
    db.session.add(refund_row)
    db.session.flush()
    ledger.post_refund(refund_row, pledge, now)
    if pledge.refunded_fen >= pledge.total_fen:  # nothing left to supply for it
        supply_release.release_pledge(actor, pledge, now, supply_release.release_reason(pledge))
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
    left = paid_fen(pledge) - pledge.refunded_fen
    if left > 0:
        _refund(pledge, left, "cancelled by the unit", actor, client, now)
    pledge_states.mark_cancelled(pledge, by_unit=True, action="pledge_cancelled", actor=actor,
                                 refunded_fen=pledge.refunded_fen)
    db.session.commit()
    return pledge
