"""Cards a partner unit saved with Stripe (a PaymentMethod on the unit's Customer): only what the unit
needs to recognise one (brand, last four digits, expiry); the number itself never reaches us."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow


class SavedCard(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    payment_method_id: Mapped[str] = mapped_column(String(80))
    brand: Mapped[str] = mapped_column(String(20), default="")
    last4: Mapped[str] = mapped_column(String(4), default="")
    exp_month: Mapped[int] = mapped_column(Integer, default=0)
    exp_year: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the unit removed it: never charged again

    __table_args__ = (db.UniqueConstraint("unit_id", "payment_method_id"),)  # a card is recorded once per unit

    def __str__(self):
        return f"{self.brand.upper()} •••• {self.last4} ({self.exp_month:02d}/{self.exp_year % 100:02d})"
