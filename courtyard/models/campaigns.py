"""Campaigns (众筹): a time-boxed sale of packages with a goal, and its logged state changes."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

CAMPAIGN_STATES = ("draft", "open", "funded", "failed", "fulfilling", "done")
CAMPAIGN_MODES = ("all_or_nothing", "flexible")
GOAL_KINDS = ("packages", "fen")
# state -> states it may move to
TRANSITIONS = {
    "draft": ("open",),
    "open": ("funded", "failed"),
    "funded": ("fulfilling",),
    "failed": (),
    "fulfilling": ("done",),
    "done": (),
}


class Campaign(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    story: Mapped[str] = mapped_column(Text, default="")
    photo: Mapped[str | None] = mapped_column(String(80))
    mode: Mapped[str] = mapped_column(String(20))
    goal_kind: Mapped[str] = mapped_column(String(10))
    goal_value: Mapped[int] = mapped_column(Integer)  # packages, or fen
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    limit_per_address: Mapped[int | None] = mapped_column(Integer)  # packages per delivery address
    limit_per_unit: Mapped[int | None] = mapped_column(Integer)  # packages per partner unit
    transfer_grace_days: Mapped[int] = mapped_column(Integer, default=7)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # progress towards the goal, counting pledges authorised or paid; kept in step with the pledges in the
    # same transaction by courtyard.services.campaigns.campaign_progress, so no page sums pledge lines
    progress_packages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    progress_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")  # less refunds
    progress_units: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # units taking part
    offers: Mapped[list["CampaignPackage"]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="CampaignPackage.id"
    )
    changes: Mapped[list["CampaignStateChange"]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="CampaignStateChange.id"
    )

    __table_args__ = (
        db.CheckConstraint("goal_value > 0", name="goal_positive"),
        db.CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
    )

    def __str__(self):
        return self.title


class CampaignPackage(db.Model):
    """A package on offer in a campaign, at a price, with a cap on how many may be sold."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("package.id"), index=True)
    price_fen: Mapped[int] = mapped_column(Integer)
    cap: Mapped[int] = mapped_column(Integer)  # most packages that may be sold (admin-set until supply is declared)
    sold: Mapped[int] = mapped_column(Integer, default=0)  # held or paid; updated under a row lock
    # most packages the households' declared capacity covers (None while nothing is declared for the
    # campaign); kept up to date by courtyard.services.supply.supply_caps when declarations change
    declared_cap: Mapped[int | None] = mapped_column(Integer)
    delivery_plan: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    campaign: Mapped[Campaign] = relationship(back_populates="offers")
    package: Mapped["Package"] = relationship()

    __table_args__ = (
        db.UniqueConstraint("campaign_id", "package_id", name="uq_campaign_package"),
        db.CheckConstraint("price_fen > 0", name="price_positive"),
        db.CheckConstraint("sold >= 0 AND sold <= cap", name="never_oversold"),
        db.CheckConstraint("declared_cap IS NULL OR sold <= declared_cap", name="within_declared_cap"),
    )

    @property
    def effective_cap(self):
        """The admin's cap, lowered to what the declared capacity covers once capacity is declared."""
        return self.cap if self.declared_cap is None else min(self.cap, self.declared_cap)

    @property
    def remaining(self):
        return self.effective_cap - self.sold


class CampaignStateChange(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    campaign: Mapped[Campaign] = relationship(back_populates="changes")
