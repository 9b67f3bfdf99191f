"""Traceability: how a household grew a batch, the quality check at collection, and how often a box was scanned.

Nothing about the person who scans a package is stored: only a count per box and day.
"""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

INPUT_KINDS = ("fertiliser", "pesticide", "feed", "vaccination")
# the fixed choices per kind; anything else is typed as free text
INPUT_CHOICES = {
    "fertiliser": ("农家肥", "有机肥", "复合肥", "尿素"),
    "pesticide": ("未使用农药", "生物农药", "低毒农药"),
    "feed": ("自产玉米", "自家菜叶", "麦麸", "全价饲料"),
    "vaccination": ("禽流感疫苗", "新城疫疫苗", "小鹅瘟疫苗"),
}


class HouseholdBatch(db.Model):
    """How one household grew or raised one item for one delivery round: dates, inputs used, photos."""

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("produce_item.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("delivery_round.id"), index=True)
    started_on: Mapped[date | None] = mapped_column(Date)  # planted or hatched
    harvested_on: Mapped[date | None] = mapped_column(Date)
    inputs: Mapped[list] = mapped_column(db.JSON, default=list)  # [{"kind": "fertiliser", "name": "农家肥"}]
    photos: Mapped[str] = mapped_column(Text, default="")  # photo names, comma separated
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    household: Mapped["Household"] = relationship()
    item: Mapped["ProduceItem"] = relationship()
    round: Mapped["DeliveryRound"] = relationship()

    __table_args__ = (
        db.UniqueConstraint("household_id", "item_id", "round_id", name="uq_household_batch"),
        db.CheckConstraint("harvested_on IS NULL OR started_on IS NULL OR started_on <= harvested_on",
                           name="started_before_harvest"),
    )

    @property
    def photo_names(self):
        return [name for name in self.photos.split(",") if name]


class QualityCheck(db.Model):
    """The inspector's check of what a household brought on collection day (合格证 or a failed note)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("collection_record.id", ondelete="CASCADE"), unique=True)
    passed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    certificate: Mapped[str] = mapped_column(String(60), default="")
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    record: Mapped["CollectionRecord"] = relationship()

    __table_args__ = (db.CheckConstraint("passed OR note != ''", name="failure_has_note"),)


class BoxScan(db.Model):
    """How often a box's trace page was opened on one day (Asia/Shanghai); no scanner data is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("box.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        db.UniqueConstraint("box_id", "day", name="uq_box_scan_day"),
        db.CheckConstraint("count >= 0", name="scan_count_not_negative"),
    )
