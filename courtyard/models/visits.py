"""Picking visits (入村采摘): partner units' representatives come to a village at harvest.

A :class:`Visit` has a capacity in people; ``seats_taken`` counts the confirmed representatives
and is only ever changed by a conditional UPDATE (``seats_taken < capacity``), so concurrent
registrations never overbook. Each :class:`VisitRegistration` is one named representative:
confirmed, waitlisted (in id order), cancelled by the unit, or declined after a date change; on the
day it is marked attended or no-show. :class:`VisitHost` rows are the host households with how
many visitors each can receive, how many it was given and the fee it earns.
:class:`VisitDateChange` keeps the history of the visit's dates.
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courtyard.extensions import db
from courtyard.models.types import UTCDateTime, utcnow

VISIT_STATES = ("scheduled", "rescheduled", "cancelled", "done")
OPEN_VISIT_STATES = ("scheduled", "rescheduled")
REGISTRATION_STATES = ("confirmed", "waitlisted", "cancelled", "declined")
ATTENDANCE = ("attended", "no_show")
ACTIVITIES = ("picking", "chickens", "farm_meal", "village_walk")
WHO_MAY_REGISTER = ("any", "campaign")


class Visit(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    meeting_point: Mapped[str] = mapped_column(String(200))
    directions: Mapped[str] = mapped_column(Text, default="")
    activities: Mapped[list] = mapped_column(JSON, default=list)  # codes from ACTIVITIES
    capacity: Mapped[int] = mapped_column(Integer)  # people
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)  # confirmed people; conditional UPDATE only
    per_unit_limit: Mapped[int] = mapped_column(Integer)  # representatives per unit, confirmed or waiting
    who_may_register: Mapped[str] = mapped_column(String(20), default="any")
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    registration_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    fee_fen: Mapped[int] = mapped_column(Integer, default=0)  # per visitor, paid on the day to the host
    transport_notes: Mapped[str] = mapped_column(Text, default="")
    meal_notes: Mapped[str] = mapped_column(Text, default="")
    safety_notes: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="scheduled", index=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    village: Mapped["Village"] = relationship()
    campaign: Mapped["Campaign | None"] = relationship()
    hosts: Mapped[list["VisitHost"]] = relationship(back_populates="visit", cascade="all, delete-orphan",
                                                    order_by="VisitHost.id")
    registrations: Mapped[list["VisitRegistration"]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitRegistration.id")
    date_changes: Mapped[list["VisitDateChange"]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitDateChange.id")

    __table_args__ = (
        db.CheckConstraint("capacity > 0", name="capacity_positive"),
        db.CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="never_overbooked"),
        db.CheckConstraint("per_unit_limit > 0", name="unit_limit_positive"),
        db.CheckConstraint("fee_fen >= 0", name="fee_not_negative"),
        db.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        db.CheckConstraint("state in ('scheduled', 'rescheduled', 'cancelled', 'done')", name="state_known"),
        db.CheckConstraint("who_may_register in ('any', 'campaign')", name="who_known"),
        db.CheckConstraint("who_may_register = 'any' OR campaign_id IS NOT NULL", name="campaign_when_needed"),
    )

    @property
    def seats_left(self):
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_open(self):
        return self.state in OPEN_VISIT_STATES

    def __str__(self):
        return self.title


class VisitDateChange(db.Model):
    """The visit moved from one date to another (or was cancelled), by whom and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    from_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    to_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: cancelled
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    visit: Mapped[Visit] = relationship(back_populates="date_changes")


class VisitHost(db.Model):
    """A host household: how many visitors it can receive, how many it was given, and its fee."""

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    capacity: Mapped[int] = mapped_column(Integer)
    visitors: Mapped[int] = mapped_column(Integer, default=0)
    fee_fen: Mapped[int] = mapped_column(Integer, default=0)  # visitors x the visit's fee per visitor
    visit: Mapped[Visit] = relationship(back_populates="hosts")
    household: Mapped["Household"] = relationship()

    __table_args__ = (
        db.UniqueConstraint("visit_id", "household_id", name="uq_visit_host"),
        db.CheckConstraint("capacity > 0", name="capacity_positive"),
        db.CheckConstraint("visitors >= 0 AND visitors <= capacity", name="visitors_within_capacity"),
        db.CheckConstraint("fee_fen >= 0", name="fee_not_negative"),
    )


class VisitRegistration(db.Model):
    """One named representative of a partner unit on a visit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("partner_unit.id"), index=True)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), index=True)
    attendance: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # cancelled or declined
    reminded_2d_for: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the start time it was reminded of
    reminded_2h_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    visit: Mapped[Visit] = relationship(back_populates="registrations")
    unit: Mapped["PartnerUnit"] = relationship()

    __table_args__ = (
        db.CheckConstraint("state in ('confirmed', 'waitlisted', 'cancelled', 'declined')", name="state_known"),
        db.CheckConstraint("attendance IS NULL OR (attendance in ('attended', 'no_show') AND state = 'confirmed')",
                           name="attendance_of_confirmed"),
    )
