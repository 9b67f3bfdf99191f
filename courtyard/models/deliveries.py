"""Harvest deliveries: an offer's delivery plan, its rounds, collection day, boxes with trace codes,
deliveries to an address and the problems a unit reports about them.

A bought package is a subscription: every round of its offer delivers one box per package bought.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

ROUND_STATES = ("scheduled", "allocated", "collected", "packed")
DELIVERY_STATES = ("scheduled", "collected", "packed", "shipped", "delivered", "confirmed")
RESOLUTIONS = ("refund", "reship", "note")


class DeliveryPlan(db.Model):
    """When an offer is delivered: explicit dates, or a window with a rhythm (every N days)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("campaign_package.id", ondelete="CASCADE"), unique=True)
    dates: Mapped[str] = mapped_column(Text, default="")  # "2026-10-10,2026-10-24" when explicit
    window_start: Mapped[date | None] = mapped_column(Date)
    window_end: Mapped[date | None] = mapped_column(Date)
    every_days: Mapped[int | None] = mapped_column(Integer)
    cutoff_days: Mapped[int] = mapped_column(Integer, default=3)  # the round is allocated this many days before
    delivery_hour: Mapped[int] = mapped_column(Integer, default=18)  # promised by this hour (Asia/Shanghai)
    offer: Mapped["CampaignPackage"] = relationship()

    __table_args__ = (
        db.CheckConstraint("cutoff_days >= 0", name="cutoff_not_negative"),
        db.CheckConstraint("every_days IS NULL OR every_days > 0", name="rhythm_positive"),
        db.CheckConstraint("delivery_hour >= 0 AND delivery_hour <= 23", name="hour_of_day"),
    )


class DeliveryRound(db.Model):
    """One delivery of an offer: every package bought of it becomes one box in this round."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("campaign_package.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    delivers_on: Mapped[date] = mapped_column(Date, index=True)
    cutoff_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    promised_by: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20), default="scheduled", index=True)
    allocated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    packed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    campaign: Mapped["Campaign"] = relationship()
    offer: Mapped["CampaignPackage"] = relationship()
    collection_days: Mapped[list["CollectionDay"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="CollectionDay.village_id")

    __table_args__ = (
        db.UniqueConstraint("offer_id", "number", name="uq_round_offer_number"),
        db.CheckConstraint("state in ('scheduled', 'allocated', 'collected', 'packed')", name="round_state_known"),
        db.CheckConstraint("cutoff_at < promised_by", name="cutoff_before_promise"),
    )

    @property
    def title(self):
        return f"{self.offer.package.name} #{self.number}"


class CollectionDay(db.Model):
    """When and where a village's households bring their goods for a round (统一分拣)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("delivery_round.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(120))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    round: Mapped[DeliveryRound] = relationship(back_populates="collection_days")
    village: Mapped["Village"] = relationship()

    __table_args__ = (db.UniqueConstraint("round_id", "village_id", name="uq_collection_day"),)


class CollectionRecord(db.Model):
    """What one household actually brought of one item on collection day."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("delivery_round.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("produce_item.id"), index=True)
    units_accepted: Mapped[int] = mapped_column(Integer)
    units_rejected: Mapped[int] = mapped_column(Integer, default=0)
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    unit_price_fen: Mapped[int] = mapped_column(Integer)  # as in the allocation
    units_allocated: Mapped[int | None] = mapped_column(Integer)  # what the household was to bring (integrity record)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    household: Mapped["Household"] = relationship()
    item: Mapped["ProduceItem"] = relationship()

    __table_args__ = (
        db.UniqueConstraint("round_id", "household_id", "item_id", name="uq_collection_record"),
        db.CheckConstraint("units_accepted >= 0 AND units_rejected >= 0", name="units_not_negative"),
        db.CheckConstraint("units_rejected = 0 OR reject_reason != ''", name="rejection_has_reason"),
    )


class Delivery(db.Model):
    """A round's boxes for one address, with the time promised and when each step happened."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("delivery_round.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("delivery_address.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="scheduled", index=True)
    promised_by: Mapped[datetime] = mapped_column(UTCDateTime)
    reshipped_from_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    packed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    round: Mapped[DeliveryRound] = relationship()
    unit: Mapped["PartnerUnit"] = relationship()
    address: Mapped["DeliveryAddress"] = relationship()
    boxes: Mapped[list["Box"]] = relationship(back_populates="delivery", order_by="Box.id")
    complaints: Mapped[list["DeliveryComplaint"]] = relationship(
        back_populates="delivery", order_by="DeliveryComplaint.id", foreign_keys="DeliveryComplaint.delivery_id")

    __table_args__ = (
        db.CheckConstraint("state in ('scheduled', 'collected', 'packed', 'shipped', 'delivered', 'confirmed')",
                           name="delivery_state_known"),
        db.Index("ix_delivery_unit_id_state", "unit_id", "state"),  # a unit's open deliveries
    )

    @property
    def on_time(self):
        """True or False once delivered; None before."""
        return None if self.delivered_at is None else self.delivered_at <= self.promised_by


class Box(db.Model):
    """One package's box in a round, with its unguessable trace code (for /t/<code>)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("delivery.id"), index=True)
    pledge_line_id: Mapped[int] = mapped_column(ForeignKey("pledge_line.id"), index=True)
    trace_code: Mapped[str] = mapped_column(String(16), unique=True)
    packed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivery: Mapped[Delivery] = relationship(back_populates="boxes")
    pledge_line: Mapped["PledgeLine"] = relationship()
    batches: Mapped[list["BoxBatch"]] = relationship(back_populates="box", cascade="all, delete-orphan",
                                                     order_by="BoxBatch.id")


class BoxBatch(db.Model):
    """Units of one household's accepted goods of one item that went into a box."""

    id: Mapped[int] = mapped_column(primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("box.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("collection_record.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("produce_item.id"), index=True)
    units: Mapped[int] = mapped_column(Integer)
    box: Mapped[Box] = relationship(back_populates="batches")
    household: Mapped["Household"] = relationship()
    item: Mapped["ProduceItem"] = relationship()

    __table_args__ = (db.CheckConstraint("units > 0", name="batch_units_positive"),)


class DeliveryComplaint(db.Model):
    """A problem a unit reports with a delivery, answered by the county within a tracked time."""

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("delivery.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    photo: Mapped[str | None] = mapped_column(String(80))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    response_due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    refund_fen: Mapped[int] = mapped_column(Integer, default=0)
    reshipment_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"), index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    delivery: Mapped[Delivery] = relationship(back_populates="complaints", foreign_keys=[delivery_id])

    __table_args__ = (
        db.CheckConstraint("resolution IS NULL OR resolution in ('refund', 'reship', 'note')", name="resolution_known"),
        db.CheckConstraint("refund_fen >= 0", name="refund_not_negative"),
    )

    @property
    def answered_in_time(self):
        """True or False once resolved; None while open."""
        return None if self.resolved_at is None else self.resolved_at <= self.response_due_at
