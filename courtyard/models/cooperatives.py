"""Cooperatives and shops that supply for their member households (一店助多户, 农户+合作社).

The county registers a :class:`Cooperative` with its terms (the service fee it may take), and its
member households (:class:`CooperativeMember`, each with a number of shares, across villages). A
:class:`CooperativeDeclaration` is the capacity the cooperative declares for a campaign on its
members' behalf; it is split into the members' own capacity declarations, so allocation, collection
and income stay per household.
"""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import EncryptedString, UTCDateTime, utcnow

COOPERATIVE_KINDS = ("cooperative", "shop", "family_farm")  # 合作社 / 网店 / 家庭农场
FEE_KINDS = ("none", "percent", "per_unit")  # percent: fee_value in per mille of the price; per_unit: fen a unit


class Cooperative(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    legal_person: Mapped[str] = mapped_column(String(40))
    licence_number: Mapped[str] = mapped_column(String(40), unique=True)
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    bank_account: Mapped[str | None] = mapped_column(EncryptedString, deferred=True)
    bank_account_last4: Mapped[str] = mapped_column(String(4), default="")
    fee_kind: Mapped[str] = mapped_column(String(10), default="none")
    fee_value: Mapped[int] = mapped_column(Integer, default=0)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)  # kept by sanctions: no new declarations
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    township: Mapped["Township"] = relationship()
    members: Mapped[list["CooperativeMember"]] = relationship(back_populates="cooperative",
                                                              order_by="CooperativeMember.id")

    __table_args__ = (
        db.CheckConstraint("kind in ('cooperative', 'shop', 'family_farm')", name="kind_known"),
        db.CheckConstraint("fee_kind in ('none', 'percent', 'per_unit')", name="fee_kind_known"),
        db.CheckConstraint("fee_value >= 0", name="fee_not_negative"),
    )

    @property
    def bank_account_masked(self):
        return f"**** {self.bank_account_last4}" if self.bank_account_last4 else ""

    def __str__(self):
        return self.name


class CooperativeMember(db.Model):
    """A household supplying through a cooperative; ``shares`` weighs its part of what the cooperative declares."""

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), unique=True)  # one cooperative a household
    shares: Mapped[int] = mapped_column(Integer, default=1)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cooperative: Mapped[Cooperative] = relationship(back_populates="members")
    household: Mapped["Household"] = relationship()

    __table_args__ = (db.CheckConstraint("shares >= 1", name="shares_positive"),)


class CooperativeDeclaration(db.Model):
    """Units of an item a cooperative declares for a campaign, split among its members' declarations."""

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("produce_item.id"), index=True)
    units: Mapped[int] = mapped_column(Integer)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_contract.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cooperative: Mapped[Cooperative] = relationship()
    campaign: Mapped["Campaign"] = relationship()
    item: Mapped["ProduceItem"] = relationship()
    contract: Mapped["PurchaseContract | None"] = relationship()

    __table_args__ = (
        db.UniqueConstraint("cooperative_id", "campaign_id", "item_id", name="uq_cooperative_declaration"),
        db.CheckConstraint("units > 0", name="units_positive"),
    )
