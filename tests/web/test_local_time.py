"""Times on pages are shown in Asia/Shanghai: the quick numeric form says what Babel's formatting says."""

from datetime import datetime, timedelta, timezone

from flask_babel import format_datetime

from courtyard.text.formatting import local_time


def test_the_numeric_local_time_is_babels(app):
    """Across a year's end, for naive (UTC) and other-zone values, is the shown time Babel's, in Shanghai?"""
    values = [datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc), datetime(2026, 6, 1, 3, 5),
              datetime(2026, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=-5))),
              datetime(2027, 2, 28, 15, 59, 59, tzinfo=timezone.utc)]
    with app.test_request_context():
        assert local_time(values[0]) == "2027-01-01 00:30"
        assert [local_time(v) for v in values] == [format_datetime(v, "yyyy-MM-dd HH:mm") for v in values]
        assert local_time(values[0], "yyyy-MM-dd") == "2027-01-01" and local_time(None) == ""
