"""The suite's guard against tests that depend on the day they run (issue #24)."""

import datetime as dt

import pytest
import time_machine

from tests.support.clock_guard import SessionFromTheFuture
from tests.support.factories import login


def test_logging_in_and_then_travelling_back_fails_the_test_with_the_reason(app, make):
    """Logging in at the real clock and then requesting a page a week earlier is refused with a clear message,
    instead of a silent redirect to the login page."""
    client = app.test_client()
    login(client, make.admin())
    a_week_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=7)
    with time_machine.travel(a_week_ago, tick=False), pytest.raises(SessionFromTheFuture, match="Log in inside"):
        client.get("/county/")


def test_logging_in_inside_the_travelled_clock_works(app, make):
    """The same request, logged in inside the clock, shows the county's home page."""
    client = app.test_client()
    a_week_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=7)
    with time_machine.travel(a_week_ago, tick=False):
        login(client, make.admin())
        assert client.get("/county/").status_code == 200
