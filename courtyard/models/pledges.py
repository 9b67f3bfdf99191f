"""Pledges (认购): a partner unit's order of packages in a campaign, to one or more addresses."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

PLEDGE_STATES = (
    "payment_pending",  # card payment started, outcome unknown (e.g. payment server down)
    "awaiting_transfer",  # bank transfer expected with the reference code
    "authorized",  # card hold in place, or card saved to be charged at close (all-or-nothing campaign)
    "paid",  # captured, or transfer recorded
    "cancelled",  # by the unit before close: hold released or refunded
    "expired",  # transfer never came
    "released",  # campaign failed: hold released
    "declined",  # card declined
    "needs_action",  # the card could not be charged: the unit confirms (3-D Secure), pays otherwise, or it is released
)
# state -> states it may move to; only courtyard.services.pledges.pledge_states moves a pledge along it
PLEDGE_TRANSITIONS = {
    "payment_pending": ("authorized", "paid", "declined", "expired", "needs_action", "awaiting_transfer"),
    "awaiting_transfer": ("paid", "released", "cancelled", "expired"),
    "authorized": ("paid", "released", "cancelled", "needs_action"),  # needs_action: the charge at close failed
    # the card could not be charged: paid or held by another try, switched to a transfer, or released unpaid
    "needs_action": ("paid", "authorized", "awaiting_transfer", "released", "cancelled"),
    "paid": ("cancelled",),  # a refund keeps it paid (refunded_fen grows)
    "cancelled": (),
    "expired": (),
    "released": (),
    "declined": (),
}
HOLDING_STATES = ("payment_pending", "awaiting_transfer", "authorized", "paid", "needs_action")  # count against the cap
PAYMENT_METHODS = ("card", "transfer")


class DeliveryAddress(db.Model):
    """Where a unit's packages go: a canteen, a union office."""

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    label: Mapped[str] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(String(255))
    contact_name: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self):
        return f"{self.label}（{self.address}）"


class Pledge(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), index=True)
    total_fen: Mapped[int] = mapped_column(Integer)
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str] = mapped_column(String(20), unique=True)  # on receipts and bank transfers
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    transfer_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    over_budget_allowed: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    lines: Mapped[list["PledgeLine"]] = relationship(back_populates="pledge", cascade="all, delete-orphan", order_by="PledgeLine.id")
    campaign: Mapped["Campaign"] = relationship()
    unit: Mapped["PartnerUnit"] = relationship()
    invoices: Mapped[list["Invoice"]] = relationship(back_populates="pledge", order_by="Invoice.id")

    __table_args__ = (
        db.CheckConstraint("total_fen > 0", name="total_positive"),
        db.Index("ix_pledge_campaign_id_state", "campaign_id", "state"),  # a campaign's progress
        db.Index("ix_pledge_unit_id_created_at", "unit_id", "created_at"),  # a unit's pledge list, newest first
        db.Index("ix_pledge_created_at_id", "created_at", "id"),  # the county's pledge list (API), newest first
        db.CheckConstraint("refunded_fen >= 0 AND refunded_fen <= total_fen", name="refund_within_total"),
    )

    @property
    def invoice(self):
        """The pledge's invoice that is not reversed (asked for or issued), or None."""
        return next((i for i in self.invoices if i.state != "reversed"), None)

    @property
    def quantity(self):
        return sum(line.quantity for line in self.lines)


class PledgeLine(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("campaign_package.id"), index=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("delivery_address.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_fen: Mapped[int] = mapped_column(Integer)
    pledge: Mapped[Pledge] = relationship(back_populates="lines")
    offer: Mapped["CampaignPackage"] = relationship()
    address: Mapped[DeliveryAddress] = relationship()

    __table_args__ = (db.CheckConstraint("quantity > 0", name="quantity_positive"),)

    @property
    def amount_fen(self):
        return self.quantity * self.unit_price_fen
