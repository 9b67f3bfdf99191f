"""Changes recorded on a phone in the field (offline) and sent later: each is applied once.

The phone gives every change its own id; that id is the key that makes a resent change harmless.
The row keeps what was sent and what the server did with it (applied, the same as already
recorded, kept over or lost to another member's recording, or refused because the round closed),
so nothing typed in the field is ever thrown away, even when it was not applied.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

FIELD_OUTCOMES = ("applied", "same", "replaced", "kept_other", "closed", "refused")


class FieldChange(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[str] = mapped_column(String(64), unique=True)  # made on the phone
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("delivery_round.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("produce_item.id"), index=True)
    accepted: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)  # on the phone
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text, default="")
    record_id: Mapped[int | None] = mapped_column(ForeignKey("collection_record.id"), index=True)
    user: Mapped["User | None"] = relationship()

    __table_args__ = (db.Index("ix_field_change_line", "round_id", "household_id", "item_id"),)
