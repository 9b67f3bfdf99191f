"""Supply: what each household can deliver in a round, and the fair allocation of a round's demand.

A round is a campaign for now. A work team records capacity declarations per household and item,
runs the allocation for its village (:class:`AllocationRun` with one :class:`AllocationLine` per
household and item), adjusts lines by hand with a reason (:class:`AllocationAdjustment`), and
publishes the run as a public notice.
"""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

RUN_STATES = ("draft", "published")


class CapacityDeclaration(db.Model):
    """How many units of an item a household can supply for a round (campaign)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("produce_item.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    units: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    photo: Mapped[str | None] = mapped_column(String(80))
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative.id"), index=True)  # its member's part
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_contract.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    household: Mapped["Household"] = relationship()
    item: Mapped["ProduceItem"] = relationship()
    campaign: Mapped["Campaign"] = relationship()
    contract: Mapped["PurchaseContract | None"] = relationship()

    __table_args__ = (
        db.UniqueConstraint("household_id", "item_id", "campaign_id", name="uq_capacity_household_item_campaign"),
        db.CheckConstraint("units >= 0", name="units_not_negative"),
    )


class AllocationRun(db.Model):
    """One allocation of a campaign's demand among a village's households; draft until published."""

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_round.id"), index=True)  # None: the whole campaign
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    campaign: Mapped["Campaign"] = relationship()
    village: Mapped["Village"] = relationship()
    round: Mapped["DeliveryRound | None"] = relationship()
    lines: Mapped[list["AllocationLine"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="AllocationLine.id"
    )
    adjustments: Mapped[list["AllocationAdjustment"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="AllocationAdjustment.id"
    )
    adoptions: Mapped[list["Adoption"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="Adoption.id"
    )

    __table_args__ = (db.CheckConstraint("state in ('draft', 'published')", name="state_known"),)


class AllocationLine(db.Model):
    """What one household supplies of one item in a run, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("allocation_run.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("produce_item.id"), index=True)
    units: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    price_fen: Mapped[int] = mapped_column(Integer)  # paid to the household per unit, as at the run
    reason: Mapped[str] = mapped_column(String(20))  # capacity_reached / level_reached / pinned
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    pin_reason: Mapped[str] = mapped_column(Text, default="")
    run: Mapped[AllocationRun] = relationship(back_populates="lines")
    household: Mapped["Household"] = relationship()
    item: Mapped["ProduceItem"] = relationship()

    __table_args__ = (
        db.UniqueConstraint("run_id", "household_id", "item_id", name="uq_allocation_line"),
        db.CheckConstraint("units >= 0 AND units <= capacity", name="units_within_capacity"),
    )

    @property
    def income_fen(self):
        return self.units * self.price_fen


class AllocationAdjustment(db.Model):
    """A hand change to a line: who, when, the units before and after, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("allocation_run.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("produce_item.id"), index=True)
    before: Mapped[int] = mapped_column(Integer)
    after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(10), default="pin", server_default="pin")  # pin / unpin / release
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    run: Mapped[AllocationRun] = relationship(back_populates="adjustments")
    household: Mapped["Household"] = relationship()
    item: Mapped["ProduceItem"] = relationship()
    actor: Mapped["User | None"] = relationship()

    __table_args__ = (db.CheckConstraint("action in ('pin', 'unpin', 'release')", name="action_known"),)


class SupplyShare(db.Model):
    """The county's choice of the village that supplies one pledge of a campaign.

    Pledges without a row follow the proposal (:mod:`courtyard.services.allocation.demand_split`).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    village: Mapped["Village"] = relationship()


class Adoption(db.Model):
    """One adopted package (认养) of a pledge line, raised whole by one household, as allocated in a run."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("allocation_run.id", ondelete="CASCADE"), index=True)
    pledge_line_id: Mapped[int] = mapped_column(ForeignKey("pledge_line.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1..quantity within the pledge line
    package_id: Mapped[int] = mapped_column(ForeignKey("package.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    income_fen: Mapped[int] = mapped_column(Integer)  # paid to the household for it, as at the run
    run: Mapped[AllocationRun] = relationship(back_populates="adoptions")
    pledge_line: Mapped["PledgeLine"] = relationship()
    package: Mapped["Package"] = relationship()
    household: Mapped["Household"] = relationship()

    __table_args__ = (
        db.UniqueConstraint("run_id", "pledge_line_id", "number", name="uq_adoption_run_line_number"),
        db.CheckConstraint("number > 0", name="number_positive"),
        db.CheckConstraint("income_fen >= 0", name="income_not_negative"),
    )
