"""Local time: the county lives in Asia/Shanghai; times are stored as aware UTC and read here.

Every day, month, season and year the platform speaks of is a local one: a statement's period, a
delivery's date, a budget's year, the day a text message is sent. The zone is defined here once;
``local_today(now)`` turns a stored instant into the local date, ``utc_at(day, hour)`` turns a local
date and hour back into the instant to store, and ``period_of`` gives the month, season (quarter),
year or custom range a day falls in (``start`` included, ``end`` not).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
PERIOD_KINDS = ("month", "season", "year", "custom")


def local_today(now):
    """The local date of the aware instant ``now``."""
    return now.astimezone(LOCAL_ZONE).date()


def utc_at(day, hour=0, minute=0):
    """``day`` at ``hour:minute`` local time, as aware UTC."""
    return datetime.combine(day, time(hour, minute), LOCAL_ZONE).astimezone(timezone.utc)


def year_start(now):
    """The first instant of the local calendar year that ``now`` falls in (aware, local zone)."""
    return datetime(now.astimezone(LOCAL_ZONE).year, 1, 1, tzinfo=LOCAL_ZONE)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # included
    end: date  # excluded

    @property
    def last_day(self):
        return self.end - timedelta(days=1)

    def bounds_utc(self):
        return utc_at(self.start), utc_at(self.end)


def period_of(kind, day, custom_end=None):
    """The month, season (quarter), year or custom range that ``day`` starts or falls in."""
    if kind == "month":
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
    elif kind == "season":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        end = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    elif kind == "year":
        start, end = date(day.year, 1, 1), date(day.year + 1, 1, 1)
    else:
        start, end = day, (custom_end or day) + timedelta(days=1)
    return Period(kind, start, end)
