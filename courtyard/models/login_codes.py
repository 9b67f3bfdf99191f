"""One-time sign-in codes sent by text: stored hashed, valid five minutes, five tries."""

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow


class LoginCode(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    address: Mapped[str] = mapped_column(String(45), default="", index=True)  # who asked (IP)
    code_hash: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 with the app's secret
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
