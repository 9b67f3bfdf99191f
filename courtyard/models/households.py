"""Households (农户) of a village, and the tier weights the county sets."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import EncryptedString, UTCDateTime, utcnow

TIERS = ("poor", "monitored", "lifted")
DEFAULT_TIER_WEIGHTS_PERMILLE = {"poor": 1000, "monitored": 800, "lifted": 500}


class TierWeight(db.Model):
    """How much a tier's share is raised in allocation; 1000 per mille = weight 1.0."""

    tier: Mapped[str] = mapped_column(String(20), primary_key=True)
    weight_permille: Mapped[int] = mapped_column(Integer)

    __table_args__ = (db.CheckConstraint("weight_permille > 0", name="weight_positive"),)

    @property
    def weight(self):
        return self.weight_permille / 1000


class Household(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    head_name: Mapped[str] = mapped_column(String(40))
    member_count: Mapped[int] = mapped_column(Integer, default=1)
    members: Mapped[str] = mapped_column(Text, default="")
    tier: Mapped[str] = mapped_column(String(20), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    # the two encrypted numbers are loaded only when asked for (deferred): a page that lists or counts
    # households never decrypts them; the bank file asks for them with undefer (services.places.households)
    id_number: Mapped[str | None] = mapped_column(EncryptedString, deferred=True)
    id_number_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_number_last4: Mapped[str] = mapped_column(String(4), default="")
    bank_card: Mapped[str | None] = mapped_column(EncryptedString, deferred=True)
    bank_card_last4: Mapped[str] = mapped_column(String(4), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    village: Mapped["Village"] = relationship()
    account: Mapped["User | None"] = relationship(back_populates="household")

    __table_args__ = (
        db.CheckConstraint("member_count >= 1", name="members_at_least_one"),
        db.Index("ix_household_village_id_active", "village_id", "active"),  # a village's household list
        db.Index("ix_household_active_tier", "active", "tier"),  # the county's count by tier, from the index alone
        db.CheckConstraint("tier in ('poor', 'monitored', 'lifted')", name="tier_known"),
    )

    @property
    def id_number_masked(self):
        return f"**************{self.id_number_last4}" if self.id_number_last4 else ""

    @property
    def bank_card_masked(self):
        return f"**** **** {self.bank_card_last4}" if self.bank_card_last4 else ""

    def __str__(self):
        return self.head_name
