"""The month layout: whole Monday-first weeks, events on their Beijing day, today marked."""

from datetime import date, datetime, timezone

import pytest

from courtyard.calendar.month import month_grid, month_window, parse_month
from courtyard.exports.ics import CalendarEvent

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("text,expected", [
    ("", date(2026, 11, 1)), ("2027-02", date(2027, 2, 1)), ("2026-12", date(2026, 12, 1)),
    ("2026-13", None), ("2026-00", None), ("26-01", None), ("2026-1", None), ("1999-12", None), ("x", None),
])
def test_parse_month(text, expected):
    """Is a YYYY-MM month read, no month taken as this month, and anything else refused?"""
    assert parse_month(text, TODAY) == expected


@pytest.mark.parametrize("first,weeks,grid_start", [
    (date(2026, 11, 1), 6, date(2026, 10, 26)),  # starts on a Sunday
    (date(2027, 2, 1), 4, date(2027, 2, 1)),  # February 2027: Monday 1st to Sunday 28th
    (date(2031, 1, 1), 5, date(2030, 12, 30)),
])
def test_whole_weeks_monday_first(first, weeks, grid_start):
    """Does the grid cover whole Monday-to-Sunday weeks around the month, no more?"""
    view = month_grid(first, TODAY, [])
    assert len(view.weeks) == weeks and all(len(week) == 7 for week in view.weeks)
    assert view.weeks[0][0].date == grid_start and view.weeks[0][0].date.weekday() == 0
    assert view.weeks[-1][-1].date.weekday() == 6


def test_events_land_on_their_beijing_day_and_today_is_marked():
    """Is an event at 16:30 UTC put on the next day (Beijing), and only today marked?"""
    late = CalendarEvent(uid="x@courtyard", title="x", starts_at=datetime(2026, 11, 23, 16, 30, tzinfo=timezone.utc))
    view = month_grid(date(2026, 11, 1), TODAY, [late])
    days = {day.date: day for week in view.weeks for day in week}
    assert days[date(2026, 11, 24)].events == [late] and days[date(2026, 11, 23)].events == []
    assert [d for d, day in days.items() if day.is_today] == [TODAY]
    assert view.previous == "2026-10" and view.next == "2026-12"


def test_the_window_is_the_grid_in_beijing_time():
    """Does the month's window run from Beijing midnight of the grid's first Monday to that after its last Sunday?"""
    start, end = month_window(date(2026, 11, 1))
    assert start == datetime(2026, 10, 25, 16, 0, tzinfo=timezone.utc)
    assert end == datetime(2026, 12, 6, 16, 0, tzinfo=timezone.utc)
