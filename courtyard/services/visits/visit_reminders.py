"""Reminders two days and two hours before a visit, one letter per unit, safe to run twice.

Each confirmed registration keeps the start time it was last reminded of, per kind
(``reminded_2d_for``, ``reminded_2h_for``); a moved visit is therefore reminded again for its new
date. The outbox dedupe key names the unit, the kind and the start time, so two runs racing each
other still queue one letter. A registration made less than two hours before only gets the
two-hour reminder.
"""

from datetime import timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.messages import visit_letters
from courtyard.messages import events as message_events
from courtyard.models import OPEN_VISIT_STATES, Visit

KINDS = (("2h", timedelta(hours=2), "reminded_2h_for"), ("2d", timedelta(days=2), "reminded_2d_for"))


def send_reminders(now):
    """Queue the reminders now due; return how many letters were queued."""
    visits = db.session.scalars(select(Visit).where(
        Visit.state.in_(OPEN_VISIT_STATES), Visit.starts_at > now, Visit.starts_at <= now + KINDS[-1][1])
        .order_by(Visit.starts_at, Visit.id)).all()
    queued = 0
    for visit in visits:
        for kind, ahead, flag in KINDS:
            if visit.starts_at > now + ahead:
                continue
            due = [r for r in visit.registrations if r.state == "confirmed" and getattr(r, flag) != visit.starts_at]
            queued += _remind(visit, kind, due, now)
            for registration in due:
                setattr(registration, flag, visit.starts_at)
                if kind == "2h":  # a two-day reminder would now come after this one
                    registration.reminded_2d_for = visit.starts_at
        db.session.commit()
    return queued


def _remind(visit, kind, registrations, now):
    by_unit = {}
    for registration in registrations:
        by_unit.setdefault(registration.unit, []).append(registration.name)
    stamp = visit.starts_at.strftime("%Y%m%dT%H%M")
    queued = 0
    for unit, names in sorted(by_unit.items(), key=lambda pair: pair[0].id):
        key = f"visit:{visit.id}:unit:{unit.id}:reminder:{kind}:{stamp}"
        message_events.visit_reminder(visit, unit, key, now)
        if visit_letters.tell(unit, "reminder", visit, key, names, now=now, ahead=kind) is not None:
            queued += 1
    return queued

