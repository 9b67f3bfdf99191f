"""Failed logins, one row each: kept when a later login succeeds, so guessing across days and phones shows."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow


class LoginFailure(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "pin" (households) or "password" (staff)
    login: Mapped[str] = mapped_column(String(60), index=True)  # as typed: a phone nobody has counts too
    address: Mapped[str] = mapped_column(String(45), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
