"""Reversing an accepted-goods or hosting-fee line of a household, with the effect shown before it is done.

:func:`effect` says what reversing the line would do to the household's statement (owed now, owed
after, the new line's amount) and whether it can be done; :func:`reverse_line` does it through
:func:`courtyard.services.money.ledger.reverse` (a reason is required, a line is reversed once, a
household is never left owed less than nothing). The household then sees the reversal as its
own line on its statement.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from courtyard.errors import DomainError
from courtyard.services.money import ledger

REVERSIBLE_KINDS = ("goods_accepted", "hosting_fee")


@dataclass(frozen=True)
class ReversalEffect:
    household_id: int
    change_fen: int  # what the reversal line adds to what the household is owed (negative)
    owed_before_fen: int
    owed_after_fen: int
    problem: str  # why it cannot be done, or ""


def _fee_on(transaction):
    """The cooperative's unreversed fee on accepted goods, reversed with them; or None."""
    fee = ledger.find(f"{transaction.source_ref}:fee") if transaction.kind == "goods_accepted" else None
    return fee if fee is not None and fee.reversed_by is None else None


def _owed_change(transaction):
    return sum(e.amount_fen for e in transaction.entries
               if e.account == "household_payable" and e.household_id == transaction.household_id)


def effect(transaction):
    """What reversing ``transaction`` (and a cooperative's fee on it) would change on its household's statement."""
    fee = _fee_on(transaction)
    change = _owed_change(transaction) + (_owed_change(fee) if fee else 0)
    owed = ledger.owed_fen(transaction.household_id)
    problem = ""
    if transaction.reversed_by is not None:
        problem = str(_l("This entry has already been reversed."))
    elif ledger.owed_by_campaign(transaction.household_id).get(transaction.campaign_id, 0) + change < 0:
        problem = str(_l("The household has already been paid for this; reverse the payout first."))
    return ReversalEffect(transaction.household_id, change, owed, owed + change, problem)


def reverse_line(actor, transaction, reason, at):
    """Reverse a goods or hosting-fee line with ``reason``; the caller commits. Returns the reversal."""
    if transaction.kind not in REVERSIBLE_KINDS:
        raise DomainError(_l("Only accepted goods and hosting fees are reversed here."))
    fee = _fee_on(transaction)
    if fee is not None and transaction.reversed_by is None:
        ledger.reverse(actor, fee, reason, at)
    return ledger.reverse(actor, transaction, reason, at)
