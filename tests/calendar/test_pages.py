"""The month calendar page: the same page for every role, each seeing only its own events."""

from datetime import datetime, timezone

import pytest

from courtyard.extensions import db
from courtyard.models import AllocationRun
from tests.support.calendar_world import month_of
from tests.support.factories import login, pin_login


def _page(client, month):
    response = client.get(f"/calendar/?month={month}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["admin", "team_a", "partner_a"])
def test_every_staff_role_reaches_the_calendar_from_its_nav(client, world, who):
    """Is the calendar linked from each role's navigation, and does it show the month?"""
    login(client, getattr(world, who))
    assert 'href="/calendar/"' in client.get("/calendar/subscribe").get_data(as_text=True)
    page = _page(client, month_of(world.now))
    assert "month-grid" in page and 'aria-current="date"' in page


def test_a_household_gets_the_calendar_in_big_type(client, world):
    """Does a household, logged in by PIN, get its calendar in big type with its village's notice?"""
    pin_login(client, world.house_a)
    page = _page(client, month_of(world.now))
    assert 'class="big-type"' in page and "甲村" in page and "乙村" not in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    """Does the calendar ask an anonymous visitor to log in?"""
    response = client.get("/calendar/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_team_members_month_shows_its_village_not_another(client, world):
    """Does a work team's month page show its own notice (linked to its run) and never another village's?"""
    login(client, world.team_a)
    page = _page(client, month_of(world.now))
    assert f"/team/allocation/runs/{world.run_a}" in page
    assert f"/runs/{world.run_b}" not in page and f"/notice/{world.run_b}" not in page and "乙村" not in page


def test_a_units_month_shows_its_transfers_not_another_units(client, world):
    """Does a unit's month page show its own transfer deadline and not another unit's?"""
    login(client, world.partner_a)
    page = _page(client, month_of(world.now))
    assert "CYA0001" in page and "CYB0002" not in page


def test_previous_and_next_month_and_today(client, world):
    """Does a chosen month show its name, links to the months either side, and no 'today' mark?"""
    login(client, world.admin)
    page = _page(client, "2031-01")
    assert "2031年1月" in page
    assert "month=2030-12" in page and "month=2031-02" in page
    assert 'aria-current="date"' not in page
    assert 'data-date="2030-12-30"' in page  # 1 January 2031 is a Wednesday: the grid starts on Monday 30 December
    assert "Nothing on the calendar this month." in page or "本月没有安排" in page


@pytest.mark.parametrize("bad", ["2026-13", "abcd", "1999-01", "2026-1"])
def test_a_month_that_does_not_exist_is_explained_not_a_500(client, world, bad):
    """Is a nonsense month answered with a message and this month, never an error page?"""
    login(client, world.admin)
    response = client.get(f"/calendar/?month={bad}", follow_redirects=True)
    assert response.status_code == 200
    assert "month-grid" in response.get_data(as_text=True)


def test_times_are_shown_in_beijing_time_on_the_beijing_day(app, client, world):
    """Is an event at 17:30 UTC on 30 November shown on 1 December at 01:30 (Asia/Shanghai)?"""
    with app.app_context():
        db.session.get(AllocationRun, world.run_a).published_at = datetime(2031, 11, 30, 17, 30, tzinfo=timezone.utc)
        db.session.commit()
    login(client, world.team_a)
    page = _page(client, "2031-12")
    day = page.split('data-date="2031-12-01"', 1)[1].split("</section>", 1)[0]
    assert "01:30" in day and "甲村" in day
