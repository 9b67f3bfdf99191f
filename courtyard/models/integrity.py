"""The integrity record's own facts (诚信档案): units' ratings of delivered boxes, and sanctions.

Everything else in the record is read from what already happens (collection records, shortfalls,
complaints); see :mod:`courtyard.services.integrity`.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

SANCTION_KINDS = ("cooperative_suspended", "household_paused")


class BoxRating(db.Model):
    """A unit's 1–5 rating and comment on one delivered box."""

    id: Mapped[int] = mapped_column(primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("box.id"), unique=True)
    stars: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    box: Mapped["Box"] = relationship()

    __table_args__ = (db.CheckConstraint("stars >= 1 AND stars <= 5", name="stars_range"),)


class Sanction(db.Model):
    """An explicit, reasoned and reversible decision: a cooperative suspended, or a household paused from an item."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("produce_item.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lift_reason: Mapped[str] = mapped_column(Text, default="")
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    cooperative: Mapped["Cooperative | None"] = relationship()
    household: Mapped["Household | None"] = relationship()
    item: Mapped["ProduceItem | None"] = relationship()

    __table_args__ = (
        db.CheckConstraint("kind in ('cooperative_suspended', 'household_paused')", name="kind_known"),
        db.CheckConstraint("(kind = 'cooperative_suspended') = (cooperative_id IS NOT NULL)", name="cooperative_named"),
        db.CheckConstraint("(kind = 'household_paused') = (household_id IS NOT NULL AND item_id IS NOT NULL)",
                           name="household_item_named"),
    )
