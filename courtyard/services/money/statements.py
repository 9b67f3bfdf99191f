"""A household's statement for a period: what it supplied, earned and was paid, and what it is owed.

``statement_data(household, start, end)`` gathers it from the household's payable account; the
HTML page, the PDF, the CSV and the XLSX all render the same data. Periods are local dates
(Asia/Shanghai); ``start`` is included, ``end`` is not.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, subqueryload

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE, Period, local_today, period_of
from courtyard.models import LedgerEntry, LedgerTransaction, PurchaseContract, Visit
from courtyard.services.money import ledger
from courtyard.services.money.ledger import effective_kind
from courtyard.services.money.ledger import HOUSEHOLD_PAYABLE

EARNING_KINDS = ("goods_accepted", "hosting_fee", "cooperative_fee")  # a fee is a negative earning


@dataclass(frozen=True)
class StatementLine:
    transaction_id: int
    at: datetime  # Asia/Shanghai
    kind: str  # goods_accepted, hosting_fee, cooperative_fee, payout, or one of them reversed
    reversal: bool
    campaign: str
    item: str
    item_unit: str
    units: int | None
    unit_price_fen: int | None
    earned_fen: int  # negative when an earning is reversed
    paid_fen: int  # negative when a payout is reversed
    method: str
    reference: str
    memo: str
    visit: str = ""  # the picking visit a hosting fee is for, by its title (worded at display time)
    contract: str = ""  # the number of the purchase contract whose floor set the price, if one did


@dataclass(frozen=True)
class Statement:
    household_id: int
    household: str
    village: str
    tier: str
    period: Period
    opening_fen: int  # owed at the start
    earned_fen: int
    paid_fen: int
    closing_fen: int  # owed at the end
    lines: tuple[StatementLine, ...]


def _payable(household_id):
    return select(func.coalesce(-func.sum(LedgerEntry.amount_fen), 0)).join(LedgerTransaction).where(
        LedgerEntry.account == HOUSEHOLD_PAYABLE, LedgerEntry.household_id == household_id)


def statement_data(household, period):
    """The household's statement for ``period``."""
    return statements_for([household], period)[0]


def statements_for(households, period):
    """The statements of many households (a village's) for ``period``, in the households' order.

    Three queries for the ledger whatever the number of households: the opening balances, the
    period's transactions, and their entries (plus one each for the campaigns, items and reversed
    transactions they name). Pass households with their village and township loaded.
    """
    ids = [h.id for h in households]
    if not ids:
        return []
    start, end = period.bounds_utc()
    payable = (LedgerEntry.account == HOUSEHOLD_PAYABLE, LedgerEntry.household_id.in_(ids))
    openings = dict(db.session.execute(
        select(LedgerEntry.household_id, -func.sum(LedgerEntry.amount_fen)).join(LedgerTransaction)
        .where(*payable, LedgerTransaction.occurred_at < start).group_by(LedgerEntry.household_id)).all())
    transactions = db.session.scalars(
        select(LedgerTransaction)
        .where(LedgerTransaction.id.in_(select(LedgerEntry.transaction_id).where(*payable)),
               LedgerTransaction.occurred_at >= start, LedgerTransaction.occurred_at < end)
        .options(subqueryload(LedgerTransaction.entries), selectinload(LedgerTransaction.campaign),
                 selectinload(LedgerTransaction.item), selectinload(LedgerTransaction.reverses))
        .order_by(LedgerTransaction.occurred_at, LedgerTransaction.id)).all()
    wanted, lines = set(ids), defaultdict(list)
    visits = hosted_visit_titles(transactions)
    contracts = contract_numbers(transactions)
    for transaction in transactions:
        concerned = {e.household_id for e in transaction.entries if e.account == HOUSEHOLD_PAYABLE} & wanted
        for household_id in sorted(concerned):
            lines[household_id].append(_line(transaction, household_id, visits, contracts))
    return [_statement(h, period, openings.get(h.id) or 0, tuple(lines[h.id])) for h in households]


def _statement(household, period, opening, lines):
    earned, paid = sum(l.earned_fen for l in lines), sum(l.paid_fen for l in lines)
    return Statement(household_id=household.id, household=household.head_name, village=household.village.full_name,
                     tier=household.tier, period=period, opening_fen=opening, earned_fen=earned, paid_fen=paid,
                     closing_fen=opening + earned - paid, lines=lines)


def hosted_visit_titles(transactions):
    """``{transaction_id: visit title}`` for the hosting fees among ``transactions`` (and their reversals)."""
    visit_ids = {}
    for transaction in transactions:
        original = transaction.reverses if transaction.kind == "reversal" and transaction.reverses else transaction
        if original.kind == "hosting_fee":
            visit_id = ledger.hosted_visit_id(original)
            if visit_id is not None:
                visit_ids[transaction.id] = visit_id
    if not visit_ids:
        return {}
    titles = dict(db.session.execute(select(Visit.id, Visit.title).where(Visit.id.in_(set(visit_ids.values())))).all())
    return {transaction_id: titles.get(visit_id, "") for transaction_id, visit_id in visit_ids.items()}


def contract_numbers(transactions):
    """``{contract_id: number}`` of the purchase contracts the transactions cite (one query, none if none do)."""
    ids = {t.contract_id for t in transactions if t.contract_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(PurchaseContract.id, PurchaseContract.number)
                                   .where(PurchaseContract.id.in_(ids))).all())


def _line(transaction, household_id, visits, contracts):
    owed_change = -sum(e.amount_fen for e in transaction.entries
                       if e.account == HOUSEHOLD_PAYABLE and e.household_id == household_id)
    kind = effective_kind(transaction)
    earning = kind in EARNING_KINDS
    item = transaction.item
    return StatementLine(
        transaction_id=transaction.id, at=transaction.occurred_at.astimezone(LOCAL_ZONE), kind=kind,
        reversal=transaction.kind == "reversal", campaign=transaction.campaign.title if transaction.campaign else "",
        item=item.name if item else "", item_unit=item.unit if item else "", units=transaction.units,
        unit_price_fen=transaction.unit_price_fen, earned_fen=owed_change if earning else 0,
        paid_fen=0 if earning else -owed_change, method=transaction.method, reference=transaction.reference,
        memo=transaction.memo, visit=visits.get(transaction.id, ""), contract=contracts.get(transaction.contract_id, ""))


@dataclass(frozen=True)
class YearFigures:
    year: int
    earned_fen: int
    paid_fen: int
    owed_fen: int  # all that is still owed, whenever it was earned


def year_figures(household, now):
    """This year's earnings and payments, and what is owed now: the household's three big numbers."""
    today = local_today(now)
    year = statement_data(household, period_of("year", today))
    owed = db.session.scalar(_payable(household.id))
    return YearFigures(today.year, year.earned_fen, year.paid_fen, owed)
