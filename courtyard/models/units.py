"""Partner units (帮扶单位): offices, schools and companies paired with villages."""

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db

UNIT_KINDS = ("government", "school", "company", "other")

unit_village = Table(
    "unit_village",
    db.metadata,
    Column("unit_id", ForeignKey("partner_unit.id", ondelete="CASCADE"), primary_key=True),
    Column("village_id", ForeignKey("village.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PartnerUnit(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    contact_name: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str] = mapped_column(String(120), default="")
    annual_budget_fen: Mapped[int] = mapped_column(Integer, default=0)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(80), unique=True)  # where its cards are saved
    allow_over_budget: Mapped[bool] = mapped_column(default=False, server_default=sa_false())  # the county may let a unit pledge past its budget
    villages: Mapped[list["Village"]] = relationship(secondary=unit_village, order_by="Village.name")
    users: Mapped[list["User"]] = relationship(back_populates="partner_unit", order_by="User.display_name")

    __table_args__ = (db.CheckConstraint("annual_budget_fen >= 0", name="budget_not_negative"),)

    def __str__(self):
        return self.name
