"""A pledge's payment state: the one place that moves it, whichever path the news came by.

The web pages, the Stripe webhook, the scheduled jobs and the CLI all call these functions; none
sets ``pledge.state`` itself. Each ``mark_*`` function checks the move against
:data:`courtyard.models.PLEDGE_TRANSITIONS` (an illegal one raises :class:`IllegalTransition`, a
DomainError, and changes nothing), then in one go sets the state and its time, posts the ledger,
gives stock back, records the audit event and queues the unit's letter (:func:`courtyard.messages.pledge_letters.notify`).
It flushes and never commits: the caller commits the change with everything else it did, so the
letter is queued in the transaction of the change it reports.

The caller has checked the pledge is still in a state it may leave (under the pledge's row lock,
e.g. :func:`courtyard.services.payments.card_intents._lock_state`) and keeps its own records, such as the
card payment's row or the bank transfer's, in step.

Payment-side moves (``mark_authorised``, ``mark_paid``, ``mark_declined``) and endings
(``mark_expired``, ``mark_released``, ``mark_cancelled``). A refund is not a move: the pledge stays
``paid`` and ``refunded_fen`` grows (:mod:`courtyard.services.payments.card_settlement`).
"""

from flask_babel import lazy_gettext as _l

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages.pledge_letters import notify
from courtyard.models import PLEDGE_TRANSITIONS
from courtyard.services.campaigns import stock
from courtyard.services.money import ledger
from courtyard.services.operations import audit

# how a pledge came to be paid -> the audit event that records it; a new payment path adds its own
PAID_VIA = {
    "transfer": "transfer_recorded",  # the county recorded the bank transfer
    "card": "card_charged",  # the card was charged at once (flexible campaign)
    "capture": "card_captured",  # a card hold was captured (all-or-nothing campaign funded)
    "webhook": "card_paid_by_webhook",  # Stripe told us the intent succeeded
}


class IllegalTransition(DomainError):
    """The pledge cannot make this move from the state it is in."""


def can_move(pledge, to_state):
    """Whether the transition table lets ``pledge`` go to ``to_state`` from where it is."""
    return to_state in PLEDGE_TRANSITIONS.get(pledge.state, ())


def _move(pledge, to_state):
    """Set the new state if the table allows it; returns the state it left."""
    if not can_move(pledge, to_state):
        raise IllegalTransition(_l("A pledge cannot go from %(a)s to %(b)s.", a=pledge.state, b=to_state))
    was, pledge.state = pledge.state, to_state
    return was


def mark_authorised(pledge, *, actor=None, **detail):
    """A card hold is in place (all-or-nothing campaign): ``payment_pending`` → ``authorized``.

    The unit is sent its confirmation letter (it says the money is held). ``detail`` goes to the audit event.
    """
    _move(pledge, "authorized")
    audit.record(actor, "card_authorized", "pledge", pledge.id, **detail)
    notify("pledge_confirmed", pledge)
    db.session.flush()
    return pledge


def mark_paid(pledge, now, *, via, actor=None, received_on=None, **detail):
    """The pledge's money has arrived: → ``paid`` (from ``payment_pending``, ``awaiting_transfer`` or ``authorized``).

    ``now``: when it became paid (``paid_at``). ``via``: how, a key of :data:`PAID_VIA` (``"transfer"``,
    ``"card"``, ``"capture"``, ``"webhook"``), which names the audit event. ``actor``: the user who did
    it, or None for the system. ``received_on``: the day the money arrived, for the ledger (a bank
    transfer's date); defaults to ``now``. ``detail``: extra facts for the audit event (intent id, amount).

    Posts the payment to the ledger (once per pledge), records the audit event and sends the unit
    its confirmation letter, unless the pledge was ``authorized`` (it had its letter then; a funded
    campaign's close tells it the hold was charged). Flushes; the caller commits.
    """
    if via not in PAID_VIA:
        raise ValueError(f"unknown payment path {via!r}; add it to PAID_VIA")
    was = _move(pledge, "paid")
    pledge.paid_at = now
    ledger.post_payment_received(pledge, received_on or now)
    audit.record(actor, PAID_VIA[via], "pledge", pledge.id, **detail)
    if was != "authorized":
        notify("pledge_confirmed", pledge)
    db.session.flush()
    return pledge


def mark_declined(pledge, *, actor=None, **detail):
    """The card payment failed: ``payment_pending`` → ``declined``; its packages go back on offer."""
    _move(pledge, "declined")
    stock.release_stock(pledge)
    audit.record(actor, "card_declined", "pledge", pledge.id, **detail)
    db.session.flush()
    return pledge


def mark_expired(pledge):
    """Nobody paid in time: → ``expired``; its packages go back, and a transfer's unit is told."""
    _move(pledge, "expired")
    stock.release_stock(pledge)
    audit.record(None, "pledge_expired", "pledge", pledge.id, method=pledge.method)
    if pledge.method == "transfer":
        notify("transfer_expired", pledge)
    db.session.flush()
    return pledge


def mark_released(pledge, *, action, actor=None, **detail):
    """The campaign failed and the pledge ends unpaid: → ``released``; its packages go back and the
    unit is sent the campaign-failed letter. ``action`` names the audit event."""
    _move(pledge, "released")
    stock.release_stock(pledge)
    audit.record(actor, action, "pledge", pledge.id, **detail)
    notify("campaign_failed", pledge)
    db.session.flush()
    return pledge


def mark_cancelled(pledge, *, by_unit, action, actor=None, **detail):
    """The pledge is called off: → ``cancelled``; its packages go back.

    ``by_unit``: the unit cancelled it (it gets the cancellation letter), else its campaign failed
    while a transfer was awaited (it gets the campaign-failed letter). ``action`` names the audit
    event. Money already paid is refunded by the caller first.
    """
    _move(pledge, "cancelled")
    stock.release_stock(pledge)
    audit.record(actor, action, "pledge", pledge.id, **detail)
    notify("pledge_cancelled" if by_unit else "campaign_failed", pledge)
    db.session.flush()
    return pledge
