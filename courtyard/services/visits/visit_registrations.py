"""Registering a unit's representatives on a visit: seats, the waiting list, cancellations, the day itself.

Seats are race-free: a representative is confirmed only if ``UPDATE visit SET seats_taken =
seats_taken + 1 WHERE seats_taken < capacity`` changed a row. PostgreSQL re-checks that condition
under the row lock for a concurrent registrant, SQLite has one writer at a time, and the check
constraint ``seats_taken <= capacity`` is the last line of defence. Otherwise the representative
waits; the waiting list is in registration order (id). A freed seat promotes the first waiting
representative, again through the conditional UPDATE, and its unit is told.
"""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.messages import visit_letters
from courtyard.models import Pledge, Visit, VisitRegistration
from courtyard.services.campaigns.campaigns import COUNTED_STATES
from courtyard.services.operations import audit
from courtyard.services.visits.visit_hosts import share_visitors

PHONE = re.compile(r"^1\d{10}$")
ACTIVE_STATES = ("confirmed", "waitlisted")


def may_register(visit, unit_id):
    """Whether a unit may register: any unit, or only units with a paid or authorised pledge in the campaign."""
    if visit.who_may_register == "any":
        return True
    return db.session.scalar(select(Pledge.id).where(
        Pledge.campaign_id == visit.campaign_id, Pledge.unit_id == unit_id, Pledge.state.in_(COUNTED_STATES)
    ).limit(1)) is not None


def accepts_registrations(visit, now):
    return visit.is_open and now < visit.registration_deadline


def _lock_visit(visit_id):
    """Hold the visit's row until commit (PostgreSQL row lock; SQLite's write lock) so that the checks that
    follow (per-unit limit, waiting order) see every other registration of this visit."""
    db.session.execute(update(Visit).where(Visit.id == visit_id).values(seats_taken=Visit.seats_taken)
                       .execution_options(synchronize_session=False))


def _take_seat(visit_id):
    return db.session.execute(
        update(Visit).where(Visit.id == visit_id, Visit.seats_taken < Visit.capacity)
        .values(seats_taken=Visit.seats_taken + 1).execution_options(synchronize_session=False)
    ).rowcount == 1


def _free_seat(visit_id):
    db.session.execute(update(Visit).where(Visit.id == visit_id, Visit.seats_taken > 0)
                       .values(seats_taken=Visit.seats_taken - 1).execution_options(synchronize_session=False))


def _refresh(visit):
    db.session.refresh(visit, ["seats_taken"])


def register(actor, visit, unit_id, name, phone, now):
    """Register one representative: confirmed if a seat is free, else on the waiting list. Commits."""
    name, phone = (name or "").strip(), re.sub(r"[\s-]", "", phone or "")
    if not accepts_registrations(visit, now):
        raise DomainError(_l("Registration for this visit is closed."))
    if not may_register(visit, unit_id):
        raise DomainError(_l("Only units that pledged in the campaign \"%(campaign)s\" may register.",
                             campaign=visit.campaign.title if visit.campaign else ""))
    if not name:
        raise DomainError(_l("Enter the representative's name."), "name")
    if not PHONE.match(phone):
        raise DomainError(_l("Enter an 11-digit mobile number."), "phone")
    _lock_visit(visit.id)
    mine = db.session.scalars(select(VisitRegistration).where(
        VisitRegistration.visit_id == visit.id, VisitRegistration.unit_id == unit_id,
        VisitRegistration.state.in_(ACTIVE_STATES))).all()
    if len(mine) >= visit.per_unit_limit:
        db.session.rollback()
        raise DomainError(_l("Your unit may register at most %(n)s people for this visit.", n=visit.per_unit_limit))
    if any(r.phone == phone for r in mine):
        db.session.rollback()
        raise DomainError(_l("This person is already registered."), "phone")
    confirmed = _take_seat(visit.id)
    registration = VisitRegistration(
        visit_id=visit.id, unit_id=unit_id, registered_by_id=getattr(actor, "id", None), name=name, phone=phone,
        state="confirmed" if confirmed else "waitlisted", created_at=now, confirmed_at=now if confirmed else None)
    db.session.add(registration)
    db.session.flush()
    _refresh(visit)
    if confirmed:
        share_visitors(visit, now)
    audit.record(actor, "visit_registered", "visit_registration", registration.id, visit_id=visit.id,
                 state=registration.state)
    db.session.commit()
    return registration


def waitlist_position(registration):
    """1 for the first waiting representative of the visit, None if not waiting."""
    if registration.state != "waitlisted":
        return None
    ahead = db.session.scalar(select(func.count(VisitRegistration.id)).where(
        VisitRegistration.visit_id == registration.visit_id, VisitRegistration.state == "waitlisted",
        VisitRegistration.id < registration.id))
    return ahead + 1


def _leave(actor, registration, to_state, now, action):
    visit = registration.visit
    if registration.state not in ACTIVE_STATES:
        raise DomainError(_l("This registration is already cancelled."))
    if not visit.is_open or now >= visit.starts_at:
        raise DomainError(_l("This visit has started, is cancelled or is done."))
    _lock_visit(visit.id)
    db.session.refresh(registration)
    if registration.state not in ACTIVE_STATES:
        db.session.rollback()
        raise DomainError(_l("This registration is already cancelled."))
    was_confirmed = registration.state == "confirmed"
    left = db.session.execute(
        update(VisitRegistration).where(VisitRegistration.id == registration.id,
                                        VisitRegistration.state == registration.state)
        .values(state=to_state, ended_at=now).execution_options(synchronize_session=False)).rowcount
    if left != 1:
        db.session.rollback()
        raise DomainError(_l("This registration changed meanwhile; please look again."))
    db.session.refresh(registration)
    if was_confirmed:
        _free_seat(visit.id)
        promote_waiting(visit, now)
        _refresh(visit)
        share_visitors(visit, now)
    audit.record(actor, action, "visit_registration", registration.id, visit_id=visit.id)
    db.session.commit()


def cancel(actor, registration, now):
    """The unit cancels a representative; a confirmed seat goes to the first waiting. Commits."""
    _leave(actor, registration, "cancelled", now, "visit_registration_cancelled")


def decline(actor, registration, now):
    """The unit declines the new date of a moved visit; like a cancellation, recorded as declined. Commits."""
    if registration.visit.state != "rescheduled":
        raise DomainError(_l("Only a moved visit can be declined; cancel the registration instead."))
    _leave(actor, registration, "declined", now, "visit_registration_declined")


def promote_waiting(visit, now):
    """Give free seats to waiting representatives in order and tell their units; the caller commits."""
    promoted = []
    while True:
        first = db.session.scalar(select(VisitRegistration).where(
            VisitRegistration.visit_id == visit.id, VisitRegistration.state == "waitlisted")
            .order_by(VisitRegistration.id).limit(1))
        if first is None or not _take_seat(visit.id):
            break
        moved = db.session.execute(
            update(VisitRegistration).where(VisitRegistration.id == first.id, VisitRegistration.state == "waitlisted")
            .values(state="confirmed", confirmed_at=now).execution_options(synchronize_session=False)).rowcount
        if moved != 1:  # someone cancelled it meanwhile: give the seat back and look again
            _free_seat(visit.id)
            continue
        db.session.refresh(first)
        promoted.append(first)
    for registration in promoted:
        visit_letters.tell(registration.unit, "promoted", visit, f"visit:{visit.id}:registration:{registration.id}:promoted",
                           [registration.name], now=now)
    return promoted


def mark_attendance(actor, registration, attendance, now):
    """On the day: a confirmed representative attended or did not come. Commits."""
    visit = registration.visit
    if attendance not in ("attended", "no_show"):
        raise DomainError(_l("Choose attended or no-show."))
    if registration.state != "confirmed":
        raise DomainError(_l("Only confirmed representatives can be checked in."))
    if visit.state not in ("scheduled", "rescheduled"):
        raise DomainError(_l("This visit is cancelled or already done."))
    if now.astimezone(LOCAL_ZONE).date() < visit.starts_at.astimezone(LOCAL_ZONE).date():
        raise DomainError(_l("Check-in opens on the day of the visit."))
    registration.attendance = attendance
    audit.record(actor, "visit_attendance", "visit_registration", registration.id, visit_id=visit.id,
                 attendance=attendance)
    db.session.commit()


def attendance_by_unit(visit):
    """Per unit: ``{"unit", "confirmed", "waiting", "attended", "no_show"}``, by unit name."""
    rows = {}
    for registration in visit.registrations:
        row = rows.setdefault(registration.unit_id, {"unit": registration.unit, "confirmed": 0, "waiting": 0,
                                                     "attended": 0, "no_show": 0})
        if registration.state == "confirmed":
            row["confirmed"] += 1
        elif registration.state == "waitlisted":
            row["waiting"] += 1
        if registration.attendance:
            row[registration.attendance] += 1
    return sorted(rows.values(), key=lambda row: row["unit"].name)
