"""The place hierarchy: county (the deployment) > township (乡镇) > village (村)."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db


class Township(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    villages: Mapped[list["Village"]] = relationship(back_populates="township", order_by="Village.name")

    def __str__(self):
        return self.name


class Village(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    township: Mapped[Township] = relationship(back_populates="villages")
    team: Mapped["WorkTeam | None"] = relationship(back_populates="village")

    __table_args__ = (db.UniqueConstraint("township_id", "name", name="uq_village_township_name"),)

    @property
    def full_name(self):
        return f"{self.township.name} {self.name}"

    def __str__(self):
        return self.full_name
