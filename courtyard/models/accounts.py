"""User accounts for the five kinds of users; households log in by phone and PIN."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

ROLES = ("county", "partner", "team", "household", "cooperative")  # the roles with pages and API tokens
STAFF_ROLE = "staff"  # a unit's staff member: signs in by text code, sees only their own choice
HASH_METHOD = "scrypt"
_DUMMY = []


def _dummy_hash():
    if not _DUMMY:
        _DUMMY.append(generate_password_hash("no account has this secret", method=HASH_METHOD))
    return _DUMMY[0]


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)  # username, or phone for households
    secret_hash: Mapped[str] = mapped_column(String(255))  # password, or PIN for households
    display_name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)  # wrong PINs in a row, since the last pause
    locked: Mapped[bool] = mapped_column(Boolean, default=False)  # no longer set: PIN pauses end by themselves
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # PIN logins paused until then
    lock_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # pauses so far: each is longer
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # +1 ends every session
    work_team_id: Mapped[int | None] = mapped_column(ForeignKey("work_team.id"), index=True)
    partner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), unique=True)
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    work_team: Mapped["WorkTeam | None"] = relationship(back_populates="members")
    partner_unit: Mapped["PartnerUnit | None"] = relationship(back_populates="users")
    household: Mapped["Household | None"] = relationship(back_populates="account")
    cooperative: Mapped["Cooperative | None"] = relationship()

    __table_args__ = (
        db.CheckConstraint("role in ('county', 'partner', 'team', 'household', 'staff', 'cooperative')", name="role_known"),
        db.CheckConstraint(
            "(role = 'team') = (work_team_id IS NOT NULL) AND (role = 'partner') = (partner_unit_id IS NOT NULL)"
            " AND (role = 'household') = (household_id IS NOT NULL)"
            " AND (role = 'cooperative') = (cooperative_id IS NOT NULL)",
            name="role_scope",
        ),
    )

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        """What the session and the remember cookie hold: the id and the session version."""
        return f"{self.id}:{self.session_version or 0}"

    def end_sessions(self):
        """Every session and remember cookie made so far stops working (flush to take effect)."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def pin_paused_until(self):
        """When PIN logins may start again after too many wrong tries; None when they are not paused."""
        if self.locked_until is not None and self.locked_until > utcnow():
            return self.locked_until
        return None

    def set_secret(self, secret):
        """Set the password or PIN; replacing one ends every session made with the old one."""
        if self.secret_hash:
            self.end_sessions()
        self.secret_hash = generate_password_hash(secret, method=HASH_METHOD)

    def check_secret(self, secret):
        return check_password_hash(self.secret_hash, secret)

    @staticmethod
    def check_no_secret(secret):
        """For a login nobody has: the same work as a real check, so the answer's timing tells nothing."""
        check_password_hash(_dummy_hash(), secret)
        return False

    @property
    def village_id(self):
        """The village a team member or household belongs to, else None."""
        if self.work_team is not None:
            return self.work_team.village_id
        if self.household is not None:
            return self.household.village_id
        return None

    def __repr__(self):
        return f"<User {self.id} {self.role}>"
