"""A visit as a calendar event: for one registration's .ics, and for the calendar feeds later.

Data first (:func:`visit_event`), rendered by :func:`courtyard.exports.ics.render_calendar`.
"""

from flask import current_app
from flask_babel import gettext as _

from courtyard.exports.ics import CalendarEvent, render_calendar


def visit_url(visit):
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/visits/{visit.id}"


def visit_event(visit, registration=None):
    """The visit as a :class:`CalendarEvent`; with a registration, one event per representative."""
    uid = f"visit-{visit.id}@courtyard" if registration is None else f"visit-{visit.id}-registration-{registration.id}@courtyard"
    lines = [visit.directions, visit.transport_notes, visit.meal_notes, visit.safety_notes]
    if registration is not None:
        lines.insert(0, _("Representative: %(name)s", name=registration.name))
    cancelled = visit.state == "cancelled" or (registration is not None and registration.state in ("cancelled", "declined"))
    return CalendarEvent(
        uid=uid, title=visit.title, starts_at=visit.starts_at, ends_at=visit.ends_at,
        location=f"{visit.village.full_name} {visit.meeting_point}", description="\n".join(line for line in lines if line),
        url=visit_url(visit), kind="visit", cancelled=cancelled)


def registration_calendar(registration, stamp):
    """One registration's visit as an .ics file (bytes)."""
    return render_calendar([visit_event(registration.visit, registration)], registration.visit.title, stamp=stamp)
