"""Pledges (认购): a partner unit's order of packages in a campaign, to one or more addresses."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

PLEDGE_STATES = (
    "payment_pending",  # card payment started, outcome unknown (e.g. payment server down)
    "awaiting_transfer",  # bank transfer expected with the reference code
    "authorized",  # card hold in place (all-or-nothing campaign)
    "paid",  # captured, or transfer recorded
    "cancelled",  # by the unit before close: hold released or refunded
    "expired",  # transfer never came
    "released",  # campaign failed: hold released
    "declined",  # card declined
)
# state -> states it may move to; only courtyard.services.pledges.pledge_states moves a pledge along it
PLEDGE_TRANSITIONS = {
    "payment_pending": ("authorized", "paid", "declined", "expired"),
    "awaiting_transfer": ("paid", "released", "cancelled", "expired"),
    "authorized": ("paid", "released", "cancelled"),
    "paid": ("cancelled",),  # a refund keeps it paid (refunded_fen grows)
    "cancelled": (),
    "expired": (),
    "released": (),
    "declined": (),
}
HOLDING_STATES = ("payment_pending", "awaiting_transfer", "authorized", "paid")  # count against the cap
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
    invoice_title: Mapped[str] = mapped_column(String(120), default="")
    invoice_tax_number: Mapped[str] = mapped_column(String(30), default="")
    invoice_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invoice_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    lines: Mapped[list["PledgeLine"]] = relationship(back_populates="pledge", cascade="all, delete-orphan", order_by="PledgeLine.id")
    campaign: Mapped["Campaign"] = relationship()
    unit: Mapped["PartnerUnit"] = relationship()

    __table_args__ = (
        db.CheckConstraint("total_fen > 0", name="total_positive"),
        db.Index("ix_pledge_campaign_id_state", "campaign_id", "state"),  # a campaign's progress
        db.Index("ix_pledge_unit_id_created_at", "unit_id", "created_at"),  # a unit's pledge list, newest first
        db.Index("ix_pledge_created_at_id", "created_at", "id"),  # the county's pledge list (API), newest first
        db.CheckConstraint("refunded_fen >= 0 AND refunded_fen <= total_fen", name="refund_within_total"),
    )

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
