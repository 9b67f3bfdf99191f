"""iCalendar (.ics) files: calendar events as data first, rendered by the icalendar library.

Every calendar the app hands out — a role's subscription feed, one visit registration — is built
from :class:`CalendarEvent` values and rendered by :func:`render_calendar`.
"""

from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event

PRODUCT_ID = "-//Courtyard//courtyard 1.0//ZH"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across renders, e.g. "round-12@courtyard"; a client updates the event in place
    title: str
    starts_at: datetime  # aware UTC
    ends_at: datetime | None = None
    location: str = ""
    description: str = ""
    url: str = ""
    kind: str = ""  # "campaign", "round", "collection", "delivery", "visit": for colour and filters
    cancelled: bool = False


def render_calendar(events, name, *, stamp):
    """The events as one iCalendar file (bytes); ``stamp`` is the aware UTC time of the render."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for item in events:
        calendar.add_component(_event(item, stamp))
    return calendar.to_ical()


def _event(item, stamp):
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("summary", item.title)
    event.add("dtstart", item.starts_at)
    if item.ends_at is not None:
        event.add("dtend", item.ends_at)
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event
