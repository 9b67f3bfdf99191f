"""Purchase contracts (帮扶购销合同): a buyer promises to take a product at no less than a floor price.

The buyer is the county (``unit_id`` empty) or a partner unit; the seller a household or a
cooperative. States: draft → signed (scan uploaded) → active → fulfilled, or ended early with a
reason; the transitions live in :mod:`courtyard.services.contracts.states`.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

CONTRACT_STATES = ("draft", "signed", "active", "fulfilled", "ended")


class PurchaseContract(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("partner_unit.id"), index=True)  # None: the county buys
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("produce_item.id"), index=True)
    season: Mapped[str] = mapped_column(String(40))
    min_units: Mapped[int] = mapped_column(Integer)
    max_units: Mapped[int] = mapped_column(Integer)
    every_days: Mapped[int | None] = mapped_column(Integer)  # taken every N days; None: once
    units_each_time: Mapped[int | None] = mapped_column(Integer)
    floor_price_fen: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    delivery_place: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    scan: Mapped[str | None] = mapped_column(String(80))  # the signed copy, stored like photos
    end_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unit: Mapped["PartnerUnit | None"] = relationship()
    household: Mapped["Household | None"] = relationship()
    cooperative: Mapped["Cooperative | None"] = relationship()
    item: Mapped["ProduceItem"] = relationship()

    __table_args__ = (
        db.CheckConstraint("(household_id IS NULL) <> (cooperative_id IS NULL)", name="one_seller"),
        db.CheckConstraint("min_units >= 0 AND max_units >= min_units", name="quantity_range"),
        db.CheckConstraint("floor_price_fen > 0", name="floor_positive"),
        db.CheckConstraint("ends_on >= starts_on", name="term_ordered"),
        db.CheckConstraint("state in ('draft', 'signed', 'active', 'fulfilled', 'ended')", name="state_known"),
    )
