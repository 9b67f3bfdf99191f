"""Personal API tokens: a user's named keys for the JSON API, stored only as a digest."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow


class ApiToken(db.Model):
    """One named token; the secret itself is shown once and kept only as its SHA-256 digest."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    hint: Mapped[str] = mapped_column(String(16))  # the first characters of the secret, to recognise it
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user: Mapped["User"] = relationship()

    @property
    def active(self):
        return self.revoked_at is None
