"""Picking visits on the calendar: organisers see their visits, units those they registered for,
households those they host."""

from courtyard.access import visits_on_calendar_of
from courtyard.calendar.sources import calendar_source
from courtyard.exports.visit_ics import visit_event
from courtyard.extensions import db
from courtyard.models import Visit


@calendar_source
def picking_visits(user, start, end):
    visits = db.session.scalars(visits_on_calendar_of(user).where(Visit.starts_at >= start, Visit.starts_at < end)
                                .order_by(Visit.starts_at))
    return [visit_event(visit) for visit in visits]
