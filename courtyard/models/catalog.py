"""The catalogue: produce items households supply, and packages built from them."""

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db

CATEGORIES = ("garden", "poultry", "dried", "other")
PACKAGE_KINDS = ("standard", "adoption")  # adoption (认养): raised by one household for one unit


class ProduceItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(20))  # "只", "500 g 袋"
    price_fen: Mapped[int] = mapped_column(Integer)  # paid to the household per unit
    season_months: Mapped[str] = mapped_column(String(40), default="")  # "7,8,9"
    photo: Mapped[str | None] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (db.CheckConstraint("price_fen > 0", name="price_positive"),)

    @property
    def months(self):
        return [int(m) for m in (self.season_months or "").split(",") if m]

    def __str__(self):
        return self.name


class Package(db.Model):
    """A village goods package (村货优选套餐): fixed items at one selling price."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    price_fen: Mapped[int] = mapped_column(Integer)
    photo: Mapped[str | None] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    kind: Mapped[str] = mapped_column(String(20), default="standard", server_default="standard")
    lines: Mapped[list["PackageItem"]] = relationship(
        back_populates="package", cascade="all, delete-orphan", order_by="PackageItem.id"
    )

    __table_args__ = (
        db.CheckConstraint("price_fen > 0", name="price_positive"),
        db.CheckConstraint("kind in ('standard', 'adoption')", name="kind_known"),
    )

    @property
    def is_adoption(self):
        """One package is one adoption: raised whole by a single household."""
        return self.kind == "adoption"

    @property
    def household_share_fen(self):
        """What the households are paid for one package's contents."""
        return sum(line.quantity * line.item.price_fen for line in self.lines)

    def __str__(self):
        return self.name


class PackageItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("package.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("produce_item.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    package: Mapped[Package] = relationship(back_populates="lines")
    item: Mapped[ProduceItem] = relationship()

    __table_args__ = (
        db.CheckConstraint("quantity > 0", name="quantity_positive"),
        db.UniqueConstraint("package_id", "item_id", name="uq_package_item"),
    )
