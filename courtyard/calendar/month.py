"""One month of events laid out by day in Asia/Shanghai: the data behind the calendar page.

Pure layout: the caller fetches the events for :func:`month_window` and passes them in.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from babel.dates import format_skeleton
from flask_babel import get_locale
from courtyard.localtime import LOCAL_ZONE, utc_at

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)

    @property
    def iso(self):
        return self.date.isoformat()

    @property
    def label(self):
        return format_skeleton("MMMEd", self.date, locale=get_locale())


@dataclass
class MonthView:
    first: date
    weeks: list
    events: list

    @property
    def title(self):
        return format_skeleton("yMMMM", self.first, locale=get_locale())

    @property
    def key(self):
        return month_key(self.first)

    @property
    def previous(self):
        return month_key((self.first - timedelta(days=1)).replace(day=1))

    @property
    def next(self):
        return month_key(_next_month(self.first))


def month_key(first):
    return f"{first.year:04d}-{first.month:02d}"


def _next_month(first):
    return (first + timedelta(days=32)).replace(day=1)


def parse_month(text, today):
    """The first day of the month ``YYYY-MM``; None when ``text`` is not such a month. No text: today's month."""
    if not text:
        return today.replace(day=1)
    match = MONTH_PATTERN.match(text)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def _grid_bounds(first):
    grid_start = first - timedelta(days=first.weekday())  # the Monday on or before the first
    last = _next_month(first) - timedelta(days=1)
    return grid_start, last + timedelta(days=7 - last.weekday())  # exclusive: the Monday after the last week


def month_window(first):
    """The UTC span the month's grid shows (whole weeks, Monday to Sunday), for fetching its events."""
    grid_start, grid_end = _grid_bounds(first)
    return utc_at(grid_start), utc_at(grid_end)


def month_grid(first, today, events):
    """The weeks around the month starting ``first``, each day holding its ``events`` (by Shanghai date)."""
    grid_start, grid_end = _grid_bounds(first)
    days = {}
    for offset in range((grid_end - grid_start).days):
        day = grid_start + timedelta(days=offset)
        days[day] = Day(date=day, in_month=day.month == first.month, is_today=day == today)
    for event in events:
        day = days.get(event.starts_at.astimezone(LOCAL_ZONE).date())
        if day is not None:
            day.events.append(event)
    ordered = list(days.values())
    weeks = [ordered[n:n + 7] for n in range(0, len(ordered), 7)]
    return MonthView(first=first, weeks=weeks, events=[e for d in ordered if d.in_month for e in d.events])
