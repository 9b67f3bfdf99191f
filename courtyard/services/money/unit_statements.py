"""A partner unit's statement for a period: its pledges, the money it paid and got back, its invoices."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import LedgerTransaction, Pledge
from courtyard.services.money.ledger import effective_kind

MONEY_KINDS = ("payment_captured", "transfer_received", "refund")


@dataclass(frozen=True)
class UnitMoneyLine:
    at: datetime  # Asia/Shanghai
    kind: str
    reversal: bool
    campaign: str
    pledge_reference: str
    amount_fen: int  # paid in positive, paid back negative


@dataclass(frozen=True)
class UnitStatement:
    unit: str
    period: object
    pledges: tuple  # Pledge rows created in the period
    money: tuple[UnitMoneyLine, ...]
    paid_fen: int
    refunded_fen: int

    @property
    def net_fen(self):
        return self.paid_fen - self.refunded_fen


def unit_statement_data(unit, period):
    start, end = period.bounds_utc()
    pledges = tuple(db.session.scalars(select(Pledge).options(joinedload(Pledge.campaign)).where(
        Pledge.unit_id == unit.id, Pledge.created_at >= start, Pledge.created_at < end).order_by(Pledge.created_at)))
    rows = db.session.execute(select(LedgerTransaction, Pledge.reference)
        .outerjoin(Pledge, Pledge.id == LedgerTransaction.pledge_id).where(
        LedgerTransaction.unit_id == unit.id, LedgerTransaction.occurred_at >= start, LedgerTransaction.occurred_at < end)
        .order_by(LedgerTransaction.occurred_at, LedgerTransaction.id)
        .options(joinedload(LedgerTransaction.entries), joinedload(LedgerTransaction.campaign),
                 joinedload(LedgerTransaction.reverses))).unique().all()
    money = []
    for t, reference in rows:
        kind = effective_kind(t)
        if kind not in MONEY_KINDS:
            continue
        sign = (1 if kind != "refund" else -1) * (-1 if t.kind == "reversal" else 1)
        money.append(UnitMoneyLine(at=t.occurred_at.astimezone(LOCAL_ZONE), kind=kind, reversal=t.kind == "reversal",
                                   campaign=t.campaign.title if t.campaign else "",
                                   pledge_reference=reference or "", amount_fen=sign * t.amount_fen))
    paid = sum(line.amount_fen for line in money if line.kind != "refund")
    refunded = -sum(line.amount_fen for line in money if line.kind == "refund")
    return UnitStatement(unit=unit.name, period=period, pledges=pledges, money=tuple(money), paid_fen=paid,
                         refunded_fen=refunded)

