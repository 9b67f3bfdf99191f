"""Organising a picking visit: create it, move its date, cancel it, close it when it is done.

The organiser is the village's work team or the county admin. Moving or cancelling tells every
unit with a confirmed or waiting representative (one letter per unit, through the outbox);
registrations move with the date unless the unit then declines
(:func:`courtyard.services.visits.visit_registrations.decline`).
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages import visit_letters
from courtyard.models import ACTIVITIES, Campaign, Visit, VisitDateChange, Village
from courtyard.services.money import ledger
from courtyard.services.operations import audit
from courtyard.services.visits.visit_hosts import host_fees, share_visitors
from courtyard.services.visits.visit_registrations import promote_waiting

MAX_CAPACITY = 500


@dataclass
class VisitDetails:
    title: str
    starts_at: datetime
    ends_at: datetime
    meeting_point: str
    capacity: int
    per_unit_limit: int
    registration_deadline: datetime
    directions: str = ""
    activities: tuple = ()
    campaign_id: int | None = None  # only units that pledged in this campaign may register; None: any unit
    fee_fen: int = 0
    transport_notes: str = ""
    meal_notes: str = ""
    safety_notes: str = ""


def _check(details, now, *, deadline_kept=False):
    if details.starts_at <= now:
        raise DomainError(_l("Choose a time in the future."), "starts_at")
    if details.ends_at <= details.starts_at:
        raise DomainError(_l("The visit must end after it starts."), "ends_at")
    if not (deadline_kept or now < details.registration_deadline) or details.registration_deadline > details.starts_at:
        raise DomainError(_l("The registration deadline must be between now and the start of the visit."),
                          "registration_deadline")
    if not 1 <= details.capacity <= MAX_CAPACITY:
        raise DomainError(_l("Enter 1 to %(n)s people.", n=MAX_CAPACITY), "capacity")
    if not 1 <= details.per_unit_limit <= MAX_CAPACITY:
        raise DomainError(_l("Enter 1 to %(n)s people.", n=MAX_CAPACITY), "per_unit_limit")
    if details.fee_fen < 0:
        raise DomainError(_l("The fee cannot be negative."), "fee_fen")
    if any(code not in ACTIVITIES for code in details.activities):
        raise DomainError(_l("Choose activities from the list."), "activities")
    if details.campaign_id is not None and db.session.get(Campaign, details.campaign_id) is None:
        raise DomainError(_l("Choose a campaign from the list."), "campaign_id")


def create_visit(actor, village_id, details, now):
    """A new scheduled visit to ``village_id``; the caller checked the actor may organise there."""
    if db.session.get(Village, village_id) is None:
        raise DomainError(_l("Choose a village from the list."), "village_id")
    _check(details, now)
    visit = Visit(
        village_id=village_id, title=details.title.strip(), starts_at=details.starts_at, ends_at=details.ends_at,
        meeting_point=details.meeting_point.strip(), directions=details.directions.strip(),
        activities=list(details.activities), capacity=details.capacity, seats_taken=0,
        per_unit_limit=details.per_unit_limit, who_may_register="campaign" if details.campaign_id else "any",
        campaign_id=details.campaign_id, registration_deadline=details.registration_deadline,
        fee_fen=details.fee_fen, transport_notes=details.transport_notes.strip(), meal_notes=details.meal_notes.strip(),
        safety_notes=details.safety_notes.strip(), state="scheduled", created_by_id=getattr(actor, "id", None),
        created_at=now,
    )
    db.session.add(visit)
    db.session.flush()
    audit.record(actor, "visit_created", "visit", visit.id, village_id=village_id, capacity=details.capacity)
    db.session.commit()
    return visit


def update_details(actor, visit, details, now):
    """Change what a visit offers, but not its time (that is :func:`reschedule`, which tells everyone).

    Capacity cannot drop below the confirmed people; raising it gives the new seats to the waiting list.
    """
    _require_open(visit)
    details.starts_at, details.ends_at = visit.starts_at, visit.ends_at
    if now >= visit.starts_at:
        raise DomainError(_l("This visit has started, is cancelled or is done."))
    _check(details, now, deadline_kept=details.registration_deadline == visit.registration_deadline)
    db.session.refresh(visit, ["seats_taken"])
    if details.capacity < visit.seats_taken:
        raise DomainError(_l("%(n)s people are already confirmed; the capacity cannot be lower.", n=visit.seats_taken),
                          "capacity")
    for name in ("title", "meeting_point", "directions", "transport_notes", "meal_notes", "safety_notes"):
        setattr(visit, name, getattr(details, name).strip())
    visit.activities, visit.capacity, visit.per_unit_limit = list(details.activities), details.capacity, details.per_unit_limit
    visit.registration_deadline, visit.fee_fen = details.registration_deadline, details.fee_fen
    visit.who_may_register, visit.campaign_id = ("campaign" if details.campaign_id else "any"), details.campaign_id
    db.session.flush()
    promote_waiting(visit, now)
    db.session.refresh(visit, ["seats_taken"])
    share_visitors(visit, now)
    audit.record(actor, "visit_updated", "visit", visit.id, capacity=details.capacity, fee_fen=details.fee_fen)
    db.session.commit()


def _require_open(visit):
    if not visit.is_open:
        raise DomainError(_l("This visit is cancelled or already done."))


def _units_to_tell(visit):
    """``{unit: [names]}`` of units with a confirmed or waiting representative."""
    units = {}
    for registration in visit.registrations:
        if registration.state in ("confirmed", "waitlisted"):
            units.setdefault(registration.unit, []).append(registration.name)
    return units


def reschedule(actor, visit, starts_at, ends_at, reason, now, registration_deadline=None):
    """Move the visit to a new time, keep the old date in its history, and tell every unit."""
    _require_open(visit)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Say why the date moves, for the letters."), "reason")
    if starts_at <= now:
        raise DomainError(_l("Choose a time in the future."), "starts_at")
    if ends_at <= starts_at:
        raise DomainError(_l("The visit must end after it starts."), "ends_at")
    if starts_at == visit.starts_at and ends_at == visit.ends_at:
        raise DomainError(_l("Choose a different time."), "starts_at")
    deadline = registration_deadline or min(visit.registration_deadline, starts_at)
    if deadline > starts_at:
        raise DomainError(_l("The registration deadline must be between now and the start of the visit."),
                          "registration_deadline")
    change = VisitDateChange(visit_id=visit.id, from_starts_at=visit.starts_at, to_starts_at=starts_at, reason=reason,
                             actor_id=getattr(actor, "id", None), at=now)
    db.session.add(change)
    old_starts_at = visit.starts_at
    visit.starts_at, visit.ends_at, visit.registration_deadline = starts_at, ends_at, deadline
    visit.state = "rescheduled"
    db.session.flush()
    for unit, names in _units_to_tell(visit).items():
        visit_letters.tell(unit, "rescheduled", visit, f"visit:{visit.id}:unit:{unit.id}:moved:{change.id}", names,
                           now=now, old_starts_at=old_starts_at, reason=reason)
    audit.record(actor, "visit_rescheduled", "visit", visit.id, from_starts_at=old_starts_at.isoformat(),
                 to_starts_at=starts_at.isoformat(), reason=reason)
    db.session.commit()


def cancel_visit(actor, visit, reason, now):
    """Cancel the visit and tell every unit; registrations are kept as they were, for the record."""
    _require_open(visit)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Say why the visit is cancelled, for the letters."), "reason")
    db.session.add(VisitDateChange(visit_id=visit.id, from_starts_at=visit.starts_at, to_starts_at=None, reason=reason,
                                   actor_id=getattr(actor, "id", None), at=now))
    visit.state, visit.cancel_reason = "cancelled", reason
    for unit, names in _units_to_tell(visit).items():
        visit_letters.tell(unit, "cancelled", visit, f"visit:{visit.id}:unit:{unit.id}:cancelled", names, now=now,
                           reason=reason)
    audit.record(actor, "visit_cancelled", "visit", visit.id, reason=reason)
    db.session.commit()


def finish(actor, visit, now):
    """Mark the visit done once it has started: hosts are shared the attended visitors and their fees fixed."""
    _require_open(visit)
    if now < visit.starts_at:
        raise DomainError(_l("A visit can be closed only once it has started."))
    unmarked = [r for r in visit.registrations if r.state == "confirmed" and r.attendance is None]
    if unmarked:
        raise DomainError(_l("Mark every confirmed representative attended or no-show first (%(n)s left).",
                             n=len(unmarked)))
    attended = sum(1 for r in visit.registrations if r.attendance == "attended")
    share_visitors(visit, now, visitors=attended)
    visit.state, visit.done_at = "done", now
    for household_id, fee_fen in host_fees(visit):
        ledger.post_hosting_fee(household_id, visit.title, fee_fen, now, ledger.hosting_fee_ref(visit.id, household_id),
                                campaign_id=visit.campaign_id, actor=actor)
    audit.record(actor, "visit_done", "visit", visit.id, attended=attended)
    db.session.commit()
