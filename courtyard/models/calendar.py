"""Calendar subscriptions: each user's secret feed token, so a phone's calendar app can subscribe."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import EncryptedString, UTCDateTime, utcnow


class CalendarToken(db.Model):
    """A user's feed token: encrypted at rest (to show the URL again), found by its keyed digest."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(EncryptedString)
    token_index: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user: Mapped["User"] = relationship()
