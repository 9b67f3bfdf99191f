"""Staff offers (职工自选): a unit's 工会 lets each staff member choose their own packages within an allowance.

A unit keeps a roll of its staff (``StaffMember``, each with a ``staff`` account that signs in by
text code). A ``StaffOffer`` names the packages and delivery points of one campaign, the allowance
per person and the deadline; each member's ``StaffChoice`` holds stock like a pledge line, and at
the deadline the choices become one pledge of the unit.
"""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

OFFER_STATES = ("open", "closed", "converted", "failed")  # closed: no more choices, not yet a pledge

staff_offer_package = Table(
    "staff_offer_package",
    db.metadata,
    Column("offer_id", ForeignKey("staff_offer.id", ondelete="CASCADE"), primary_key=True),
    Column("campaign_package_id", ForeignKey("campaign_package.id", ondelete="CASCADE"), primary_key=True, index=True),
)

staff_offer_point = Table(
    "staff_offer_point",
    db.metadata,
    Column("offer_id", ForeignKey("staff_offer.id", ondelete="CASCADE"), primary_key=True),
    Column("address_id", ForeignKey("delivery_address.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class StaffMember(db.Model):
    """One person on a unit's roll; ``user`` is their ``staff`` account (signs in by text code)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(20), unique=True)  # a person belongs to one unit
    active: Mapped[bool] = mapped_column(default=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user: Mapped["User"] = relationship()
    unit: Mapped["PartnerUnit"] = relationship()


class StaffOffer(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    allowance_fen: Mapped[int] = mapped_column(Integer)  # per person, paid by the unit
    per_person_limit: Mapped[int] = mapped_column(Integer, default=1)  # of each package
    method: Mapped[str] = mapped_column(String(20), default="transfer")  # how the unit pays the pledge
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    state: Mapped[str] = mapped_column(String(20), default="open", index=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)  # the shared link
    note: Mapped[str] = mapped_column(Text, default="")  # why a conversion failed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pledge_id: Mapped[int | None] = mapped_column(ForeignKey("pledge.id"), index=True)
    campaign: Mapped["Campaign"] = relationship()
    unit: Mapped["PartnerUnit"] = relationship()
    pledge: Mapped["Pledge | None"] = relationship()
    packages: Mapped[list["CampaignPackage"]] = relationship(secondary=staff_offer_package,
                                                             order_by="CampaignPackage.id")
    points: Mapped[list["DeliveryAddress"]] = relationship(secondary=staff_offer_point, order_by="DeliveryAddress.id")

    __table_args__ = (
        db.CheckConstraint("allowance_fen >= 0", name="allowance_not_negative"),
        db.CheckConstraint("per_person_limit >= 1", name="limit_positive"),
    )


class StaffChoice(db.Model):
    """One member's choice in one offer: a delivery point and lines; changed until the deadline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("staff_offer.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("delivery_address.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    member: Mapped[StaffMember] = relationship()
    address: Mapped["DeliveryAddress"] = relationship()
    offer: Mapped[StaffOffer] = relationship()
    lines: Mapped[list["StaffChoiceLine"]] = relationship(back_populates="choice", cascade="all, delete-orphan",
                                                          order_by="StaffChoiceLine.id")

    __table_args__ = (db.UniqueConstraint("offer_id", "member_id", name="one_choice_per_person"),)

    @property
    def total_fen(self):
        return sum(line.quantity * line.unit_price_fen for line in self.lines)


class StaffChoiceLine(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    choice_id: Mapped[int] = mapped_column(ForeignKey("staff_choice.id", ondelete="CASCADE"), index=True)
    campaign_package_id: Mapped[int] = mapped_column(ForeignKey("campaign_package.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_fen: Mapped[int] = mapped_column(Integer)
    choice: Mapped[StaffChoice] = relationship(back_populates="lines")
    offer: Mapped["CampaignPackage"] = relationship()

    __table_args__ = (db.CheckConstraint("quantity > 0", name="quantity_positive"),)


class StaffBox(db.Model):
    """A packed box that is one person's: their name on the pack list and label, ticked when handed over."""

    id: Mapped[int] = mapped_column(primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("box.id", ondelete="CASCADE"), unique=True)
    choice_id: Mapped[int] = mapped_column(ForeignKey("staff_choice.id"), index=True)
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handed_over_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    box: Mapped["Box"] = relationship()
    choice: Mapped[StaffChoice] = relationship()
