"""The money ledger: double-entry, integer fen, append-only.

Every money event is one :class:`LedgerTransaction` with two or more :class:`LedgerEntry` rows
whose signed amounts sum to zero (positive = debit, negative = credit). Accounts are a fixed chart
(``ACCOUNTS``); entries carry the household, unit and campaign they concern as dimensions, so a
household's payable balance or a campaign's receipts are plain sums. Entries are never changed or
deleted: a mistake is undone by a new transaction that ``reverses`` it, with a reason.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

# code -> what it is; debit-normal assets/costs, credit-normal liabilities
ACCOUNTS = (
    "bank",  # asset: the county's collection account and Stripe balance
    "unit_funds",  # liability: money received from a unit for a campaign, not yet spent
    "household_payable",  # liability: owed to a household (per household, per campaign)
    "cooperative_payable",  # liability: service fees owed to a cooperative (per cooperative)
    "produce_cost",  # goods accepted from households
    "hosting_cost",  # picking-visit hosting fees
    "logistics_cost",  # shipping
    "packaging_cost",  # boxes, labels
)
COST_KINDS = ("logistics", "packaging")
TRANSACTION_KINDS = (
    "payment_captured", "transfer_received", "refund", "goods_accepted", "hosting_fee", "payout", "cost", "reversal",
    "cooperative_fee",
)
PAYOUT_METHODS = ("bank", "cash")


class PayoutBatch(db.Model):
    """Payouts recorded together ("pay everything owed in this village"), exported as one bank file."""

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    method: Mapped[str] = mapped_column(String(10))
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    village: Mapped["Village"] = relationship()
    payouts: Mapped[list["LedgerTransaction"]] = relationship(back_populates="batch", order_by="LedgerTransaction.id")


class LedgerTransaction(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)  # dashboard summary
    memo: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    source_ref: Mapped[str | None] = mapped_column(String(120), unique=True)  # posting the same event twice finds it
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transaction.id"), unique=True)
    # what the event was about (for statements); the entries carry the dimensions that are summed
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    pledge_id: Mapped[int | None] = mapped_column(ForeignKey("pledge.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("produce_item.id"), index=True)
    units: Mapped[int | None] = mapped_column(Integer)
    unit_price_fen: Mapped[int | None] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20), default="")  # payouts: bank / cash; costs: logistics / packaging
    reference: Mapped[str] = mapped_column(String(60), default="")  # bank reference, receipt number
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("payout_batch.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_contract.id"), index=True)  # the price's contract
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative.id"), index=True)
    entries: Mapped[list["LedgerEntry"]] = relationship(back_populates="transaction", order_by="LedgerEntry.id")
    reverses: Mapped["LedgerTransaction | None"] = relationship(remote_side="LedgerTransaction.id",
                                                               back_populates="reversed_by")
    reversed_by: Mapped["LedgerTransaction | None"] = relationship(back_populates="reverses", uselist=False)
    batch: Mapped[PayoutBatch | None] = relationship(back_populates="payouts")
    household: Mapped["Household | None"] = relationship()
    campaign: Mapped["Campaign | None"] = relationship()
    item: Mapped["ProduceItem | None"] = relationship()
    actor: Mapped["User | None"] = relationship()

    __table_args__ = (
        db.CheckConstraint("units IS NULL OR units > 0", name="units_positive"),
        db.Index("ix_ledger_transaction_household_id_occurred_at", "household_id", "occurred_at"),  # statements
        db.CheckConstraint("unit_price_fen IS NULL OR unit_price_fen >= 0", name="price_not_negative"),
    )

    @property
    def amount_fen(self):
        """The size of the event: the sum of its debits."""
        return sum(e.amount_fen for e in self.entries if e.amount_fen > 0)


class LedgerEntry(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transaction.id"), index=True)
    account: Mapped[str] = mapped_column(String(30), index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)  # debit positive, credit negative
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative.id"), index=True)
    transaction: Mapped[LedgerTransaction] = relationship(back_populates="entries")

    __table_args__ = (
        db.CheckConstraint("amount_fen <> 0", name="amount_not_zero"),
        db.Index("ix_ledger_entry_household_id_account", "household_id", "account"),  # what a household is owed
        db.CheckConstraint(
            "account in ('bank', 'unit_funds', 'household_payable', 'produce_cost', 'hosting_cost', "
            "'logistics_cost', 'packaging_cost', 'cooperative_payable')", name="account_known"),
        db.CheckConstraint("account <> 'cooperative_payable' OR cooperative_id IS NOT NULL",
                           name="cooperative_payable_named"),
        db.CheckConstraint("account <> 'household_payable' OR household_id IS NOT NULL", name="payable_has_household"),
    )


@event.listens_for(Session, "before_flush")
def _entries_are_append_only(session, _context, _instances):
    """Ledger rows are written once: changing or deleting one is a bug, not a correction."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, LedgerEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("ledger entries are never changed or deleted; post a reversal instead")
