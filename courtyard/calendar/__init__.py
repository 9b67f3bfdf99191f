"""The calendar of every role: a month page, a subscription page, and the secret .ics feed.

One implementation for the four roles; what each user sees comes from the registered sources
(:mod:`courtyard.calendar.sources`), which apply the scope rules of :mod:`courtyard.access`.
"""

from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

from courtyard.calendar import delivery_events, sources, visit_events  # noqa: E402,F401  (sources: import each feature's calendar module here)
from courtyard.calendar import feeds, views  # noqa: E402,F401
