"""The .ics renderer: what a calendar client reads back."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from courtyard.exports.ics import CalendarEvent, render_calendar

STAMP = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_a_calendar_client_reads_back_every_event_with_its_time_and_place():
    """Each event keeps its uid, title, UTC start and end, place and link; a cancelled one says so."""
    start = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    events = [
        CalendarEvent("round-1@courtyard", "收鸡日", start, start + timedelta(hours=2), "村委会门口", "带上鸡", "http://x/1"),
        CalendarEvent("visit-2@courtyard", "采摘活动", start + timedelta(days=3), cancelled=True),
    ]
    parsed = Calendar.from_ical(render_calendar(events, "李家村", stamp=STAMP))
    read = parsed.walk("VEVENT")
    assert [str(e["uid"]) for e in read] == ["round-1@courtyard", "visit-2@courtyard"]
    assert str(read[0]["summary"]) == "收鸡日"
    assert read[0].decoded("dtstart") == start
    assert read[0].decoded("dtend") == start + timedelta(hours=2)
    assert str(read[0]["location"]) == "村委会门口"
    assert str(read[1]["status"]) == "CANCELLED"
    assert str(parsed["x-wr-calname"]) == "李家村"
