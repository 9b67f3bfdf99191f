"""Posting money events to the ledger, and reading balances back.

Each ``post_*`` function adds one balanced transaction to the session and flushes it; the caller
commits it together with the change it records (the pledge paid, the goods accepted). Each takes a
``source_ref`` naming the event (``"pledge:12:paid"``, ``"delivery:3:household:7:item:2"``): posting
the same event again returns the transaction already there and adds nothing.

Entries carry the campaign they belong to on both sides, so every transaction balances for each
campaign as well as in total. Amounts are integer fen, debit positive, credit negative.
"""

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import COST_KINDS, Household, LedgerEntry, LedgerTransaction
from courtyard.models.types import utcnow
from courtyard.services.operations import audit
from courtyard.text.formatting import fen

# The SQL form of effective_kind: join ORIGINAL on ``reverses_id`` and a reversal counts as the kind it reverses.
ORIGINAL = aliased(LedgerTransaction)
KIND = case((LedgerTransaction.kind == "reversal", ORIGINAL.kind), else_=LedgerTransaction.kind)

HOUSEHOLD_PAYABLE = "household_payable"  # the account of what households are owed (per household, per campaign)


@dataclass(frozen=True)
class Leg:
    """One side of a posting: ``amount_fen`` debited (positive) or credited (negative) to ``account``."""

    account: str
    amount_fen: int
    household_id: int | None = None
    unit_id: int | None = None
    campaign_id: int | None = None
    cooperative_id: int | None = None


def find(source_ref):
    """The transaction already posted for ``source_ref``, or None."""
    if source_ref is None:
        return None
    return db.session.scalar(select(LedgerTransaction).where(LedgerTransaction.source_ref == source_ref))


def post(kind, legs, *, at, source_ref=None, memo="", actor=None, **about):
    """Add a balanced transaction (and its entries) to the session; the same ``source_ref`` posts once.

    ``about`` sets the descriptive columns (household_id, campaign_id, item_id, units...).
    """
    existing = find(source_ref)
    if existing is not None:
        return existing
    legs = [leg for leg in legs if leg.amount_fen]
    if not legs or sum(leg.amount_fen for leg in legs) != 0:
        raise ValueError(f"unbalanced ledger transaction {kind}: {legs}")
    for leg in legs:
        if isinstance(leg.amount_fen, bool) or not isinstance(leg.amount_fen, int):
            raise ValueError("ledger amounts are integer fen")
    transaction = LedgerTransaction(kind=kind, occurred_at=at, recorded_at=utcnow(), memo=memo or "",
                                    actor_id=getattr(actor, "id", None), source_ref=source_ref, **about)
    transaction.entries = [LedgerEntry(account=leg.account, amount_fen=leg.amount_fen, household_id=leg.household_id,
                                       unit_id=leg.unit_id, campaign_id=leg.campaign_id, cooperative_id=leg.cooperative_id)
                           for leg in legs]
    db.session.add(transaction)
    db.session.flush()
    return transaction


def _positive(amount_fen, field="amount"):
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise DomainError(_l("The amount must be more than zero."), field)


# --- money from and back to partner units -------------------------------------------------------

def post_payment_received(pledge, at, *, kind=None):
    """A pledge's money arrived (card captured or transfer received): the bank holds it for the unit's campaign."""
    amount = pledge.total_fen
    kind = kind or ("payment_captured" if pledge.method == "card" else "transfer_received")
    dims = dict(unit_id=pledge.unit_id, campaign_id=pledge.campaign_id)
    return post(kind, [Leg("bank", amount, **dims), Leg("unit_funds", -amount, **dims)], at=at,
                source_ref=f"pledge:{pledge.id}:paid", memo=pledge.reference, pledge_id=pledge.id, **dims)


def post_refund(refund, pledge, at):
    """Money paid back to a unit (a :class:`Refund` row) leaves the bank."""
    dims = dict(unit_id=pledge.unit_id, campaign_id=pledge.campaign_id)
    return post("refund", [Leg("unit_funds", refund.amount_fen, **dims), Leg("bank", -refund.amount_fen, **dims)], at=at,
                source_ref=f"refund:{refund.id}", memo=refund.reason, pledge_id=pledge.id, **dims)


# --- what households earn ------------------------------------------------------------------------

def post_goods_accepted(household_id, campaign_id, item_id, units, unit_price_fen, at, source_ref, *, actor=None, memo="",
                        contract_id=None):
    """Goods accepted from a household at collection: the household is now owed ``units × unit_price_fen``.

    ``contract_id`` cites the purchase contract whose floor set the price, if one did."""
    if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
        raise DomainError(_l("The units accepted must be more than zero."), "units")
    if isinstance(unit_price_fen, bool) or not isinstance(unit_price_fen, int) or unit_price_fen <= 0:
        raise DomainError(_l("The unit price must be more than zero."), "unit_price")
    amount = units * unit_price_fen
    return post("goods_accepted", [Leg("produce_cost", amount, campaign_id=campaign_id),
                                   Leg(HOUSEHOLD_PAYABLE, -amount, household_id=household_id, campaign_id=campaign_id)],
                at=at, source_ref=source_ref, memo=memo, actor=actor, household_id=household_id, campaign_id=campaign_id,
                item_id=item_id, units=units, unit_price_fen=unit_price_fen, contract_id=contract_id)


def post_cooperative_fee(household_id, cooperative_id, campaign_id, item_id, units, fee_fen, at, source_ref, *,
                         actor=None, contract_id=None):
    """A cooperative's service fee on a member's accepted goods: owed to the cooperative instead of the household."""
    _positive(fee_fen, "fee")
    return post("cooperative_fee",
                [Leg("household_payable", fee_fen, household_id=household_id, campaign_id=campaign_id),
                 Leg("cooperative_payable", -fee_fen, campaign_id=campaign_id, cooperative_id=cooperative_id)],
                at=at, source_ref=source_ref, actor=actor, household_id=household_id, campaign_id=campaign_id,
                item_id=item_id, units=units, cooperative_id=cooperative_id, contract_id=contract_id)


def hosting_fee_ref(visit_id, household_id):
    """The ``source_ref`` of a household's hosting fee for a visit (statements find the visit from it)."""
    return f"visit:{visit_id}:host:{household_id}"


def hosted_visit_id(transaction):
    """The visit a hosting-fee transaction pays for, read from its ``source_ref``; None if it names none."""
    parts = (transaction.source_ref or "").split(":")
    return int(parts[1]) if len(parts) == 4 and parts[0] == "visit" and parts[2] == "host" and parts[1].isdigit() else None


def post_hosting_fee(household_id, visit_ref, fee_fen, at, source_ref, *, campaign_id=None, actor=None):
    """A household hosted a picking visit: it is owed the fee.

    ``visit_ref`` is kept as the memo as it is (data, such as the visit's title, never a sentence);
    statements word the line at display time (:func:`hosted_visit_id`).
    """
    _positive(fee_fen, "fee")
    return post("hosting_fee", [Leg("hosting_cost", fee_fen, campaign_id=campaign_id),
                                Leg(HOUSEHOLD_PAYABLE, -fee_fen, household_id=household_id, campaign_id=campaign_id)],
                at=at, source_ref=source_ref, memo=str(visit_ref), actor=actor, household_id=household_id,
                campaign_id=campaign_id)


# --- the county's own costs ----------------------------------------------------------------------

def post_cost(campaign_id, kind, amount_fen, memo, at, actor, *, source_ref=None):
    """Logistics or packaging paid from the bank for a campaign; the caller commits."""
    if kind not in COST_KINDS:
        raise DomainError(_l("Choose logistics or packaging."), "kind")
    _positive(amount_fen)
    transaction = post("cost", [Leg(f"{kind}_cost", amount_fen, campaign_id=campaign_id),
                                Leg("bank", -amount_fen, campaign_id=campaign_id)],
                       at=at, source_ref=source_ref, memo=memo, actor=actor, campaign_id=campaign_id, method=kind)
    audit.record(actor, "ledger_cost_posted", "ledger_transaction", transaction.id, kind=kind, amount_fen=amount_fen)
    db.session.flush()
    return transaction


# --- corrections ---------------------------------------------------------------------------------

def reverse(actor, transaction, reason, at):
    """Undo a transaction with a new one of opposite entries and the reason; the caller commits.

    A transaction is reversed at most once, a reversal is not reversed, and a reversal may not leave a
    household owed less than nothing (reverse the payout first).
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the reason for the reversal."), "reason")
    if transaction.kind == "reversal":
        raise DomainError(_l("A reversal cannot itself be reversed; post the event again instead."))
    if transaction.reversed_by is not None:
        raise DomainError(_l("This entry has already been reversed."))
    households = {e.household_id for e in transaction.entries if e.account == HOUSEHOLD_PAYABLE}
    lock_households(households)
    legs = [Leg(e.account, -e.amount_fen, e.household_id, e.unit_id, e.campaign_id, e.cooperative_id)
            for e in transaction.entries]
    copied = {c: getattr(transaction, c) for c in ("household_id", "unit_id", "campaign_id", "pledge_id", "item_id",
                                                   "units", "unit_price_fen", "method", "reference", "contract_id",
                                                   "cooperative_id")}
    reversal = post("reversal", legs, at=at, source_ref=f"reversal:{transaction.id}", memo=reason, actor=actor,
                    reverses_id=transaction.id, **copied)
    check_not_overpaid(households, _l("The household has already been paid for this; reverse the payout first."))
    audit.record(actor, "ledger_reversed", "ledger_transaction", transaction.id, reversal_id=reversal.id, reason=reason)
    db.session.flush()
    return reversal


def lock_households(household_ids):
    """Lock the households' rows (PostgreSQL) so their payable balances change one writer at a time."""
    if household_ids:
        db.session.execute(select(Household.id).where(Household.id.in_(sorted(household_ids)))
                           .order_by(Household.id).with_for_update())


def check_not_overpaid(household_ids, message=None):
    """After writing, inside the same transaction: no household may be owed less than nothing, per campaign.

    On SQLite the write above holds the database's write lock, so this sees every committed payout.
    """
    for household_id in household_ids:
        if any(amount < 0 for amount in owed_by_campaign(household_id).values()):
            db.session.rollback()
            raise DomainError(message or _l("At most %(owed)s is owed to this household.",
                                            owed=fen(max(owed_fen(household_id), 0))), "amount")


# --- balances ------------------------------------------------------------------------------------

def owed_fen(household_id):
    """What the household is owed now: the credit balance of its payable account."""
    return -db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(
        LedgerEntry.account == HOUSEHOLD_PAYABLE, LedgerEntry.household_id == household_id))


def owed_by_campaign(household_id):
    """{campaign_id (None for fees outside a campaign): owed fen}, oldest first, zero buckets left out."""
    rows = db.session.execute(
        select(LedgerEntry.campaign_id, -func.sum(LedgerEntry.amount_fen), func.min(LedgerEntry.id))
        .where(LedgerEntry.account == HOUSEHOLD_PAYABLE, LedgerEntry.household_id == household_id)
        .group_by(LedgerEntry.campaign_id).order_by(func.min(LedgerEntry.id))).all()
    return {campaign_id: owed for campaign_id, owed, _first in rows if owed}


def owed_in_village(village_id):
    """{household_id: owed fen} for the village's households owed something."""
    rows = db.session.execute(  # by the village's household ids: the plan reads their entries, not the account's
        select(LedgerEntry.household_id, -func.sum(LedgerEntry.amount_fen))
        .where(LedgerEntry.account == HOUSEHOLD_PAYABLE,
               LedgerEntry.household_id.in_(select(Household.id).where(Household.village_id == village_id)))
        .group_by(LedgerEntry.household_id)).all()
    return {household_id: owed for household_id, owed in rows if owed}


def trial_balance():
    """{account: balance}, and whether all debits equal all credits."""
    rows = db.session.execute(select(LedgerEntry.account, func.sum(LedgerEntry.amount_fen))
                              .group_by(LedgerEntry.account)).all()
    balances = defaultdict(int, {account: total for account, total in rows})
    return dict(balances), sum(balances.values()) == 0


def effective_kind(transaction):
    """A reversal counts against the kind it reverses."""
    return transaction.reverses.kind if transaction.kind == "reversal" and transaction.reverses else transaction.kind
