"""Village work teams (驻村工作队): one per village; members are users."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db


class WorkTeam(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    village: Mapped["Village"] = relationship(back_populates="team")
    members: Mapped[list["User"]] = relationship(back_populates="work_team", order_by="User.display_name")

    def __str__(self):
        return self.name
