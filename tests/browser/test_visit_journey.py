"""A picking visit in a real browser: created by the work team, filled by two units, overfilled into the
waiting list, a cancellation promotes the first waiting, the date moves and every unit is told, and the
team checks people in on a 390 px phone."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import OutboxMessage, Visit
from tests.support.browser_pages import fits as _fits, staff_session as _log_in

pytestmark = pytest.mark.browser


def _local(moment):
    return moment.astimezone(LOCAL_ZONE).strftime("%Y-%m-%dT%H:%M")


def _register(page, live_server, visit_id, name, phone):
    page.goto(f"{live_server}/partner/visits/{visit_id}")
    page.fill("#name", name)
    page.fill("#phone", phone)
    page.click("form:has(#name) button[type=submit]")
    page.wait_for_url(re.compile(rf".*/partner/visits/{visit_id}$"))


def _letters(app):
    with app.app_context():
        rows = [(m.to_address, m.subject) for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.dedupe_key.like("visit:%")).order_by(OutboxMessage.id))]
        db.session.remove()
        return rows


def test_a_visit_from_creation_to_check_in(app, browser, live_server, demo_logins, artifacts):
    """Can a team create a visit, two units fill and overfill it, a cancellation promote the first waiting,
    a date move tell every unit, and the team check people in on a phone?"""
    team_login, team_password = demo_logins.teams[0][1:]
    caizheng, nongshang = (next(u for u in demo_logins.units if u[0] == name) for name in ("县财政局", "县农村商业银行"))
    today = datetime.now(LOCAL_ZONE).replace(hour=10, minute=0, second=0, microsecond=0)
    starts = today + timedelta(days=7)

    team_context, team = _log_in(browser, live_server, team_login, team_password)
    team.goto(live_server + "/team/visits/new")
    assert _fits(team)
    team.fill("#title", "秋收采摘日")
    team.fill("#starts_at", _local(starts))
    team.fill("#ends_at", _local(starts + timedelta(hours=6)))
    team.fill("#meeting_point", "村委会门前广场")
    team.check("input[name=activities][value=picking]")
    team.check("input[name=activities][value=farm_meal]")
    team.fill("#capacity", "2")
    team.fill("#per_unit_limit", "2")
    team.fill("#registration_deadline", _local(starts - timedelta(days=1)))
    team.fill("#fee", "30")
    team.click("main form button[type=submit]")
    team.wait_for_url(re.compile(r".*/team/visits/\d+$"))
    visit_id = int(team.url.rsplit("/", 1)[1])
    assert "秋收采摘日" in team.inner_text("main")

    a_context, unit_a = _log_in(browser, live_server, caizheng[1], caizheng[2], viewport={"width": 1280, "height": 900})
    _register(unit_a, live_server, visit_id, "赵一", "13900000001")
    _register(unit_a, live_server, visit_id, "钱二", "13900000002")
    b_context, unit_b = _log_in(browser, live_server, nongshang[1], nongshang[2])
    _register(unit_b, live_server, visit_id, "孙三", "13900000003")
    _register(unit_b, live_server, visit_id, "李四", "13900000004")
    waiting = unit_b.inner_text("main")
    assert "第 1 位" in waiting or "No. 1" in waiting
    unit_b.screenshot(path=str(artifacts / "visit-waitlist-phone.png"), full_page=True)
    assert _fits(unit_b)

    unit_a.locator("li.representative", has_text="赵一").locator("form[action$='/cancel'] button").click()
    unit_a.wait_for_url(re.compile(rf".*/partner/visits/{visit_id}$"))
    unit_b.reload()
    row = unit_b.locator("li.representative", has_text="孙三").inner_text()
    assert "已确认" in row or "Confirmed" in row
    assert [to for to, _ in _letters(app)] == ["nongshang@example.cn"]

    team.goto(f"{live_server}/team/visits/{visit_id}/reschedule")
    moved = starts + timedelta(days=3)
    team.fill("#starts_at", _local(moved))
    team.fill("#ends_at", _local(moved + timedelta(hours=6)))
    team.fill("#reason", "连续下雨，豆角晚熟几天")
    team.click("main form button[type=submit]")
    team.wait_for_url(re.compile(rf".*/team/visits/{visit_id}$"))
    told = [to for to, subject in _letters(app)[1:]]
    assert sorted(told) == ["caizheng@example.cn", "nongshang@example.cn"]
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert visit.state == "rescheduled" and visit.seats_taken == 2
        db.session.remove()
    public = b_context.new_page()
    public.goto(f"{live_server}/visits/{visit_id}")
    assert "孙三" not in public.inner_text("main") and _fits(public)

    for context in (team_context, a_context, b_context):
        context.close()
    with time_machine.travel(moved + timedelta(minutes=30), tick=True):
        phone_context, phone = _log_in(browser, live_server, team_login, team_password)
        phone.goto(f"{live_server}/team/visits/{visit_id}/check-in")
        assert _fits(phone)
        phone.locator("li.checkin-row", has_text="钱二").locator("form[action$='/attended'] button").click()
        phone.wait_for_url(re.compile(r".*/check-in(#r\d+)?$"))
        phone.locator("li.checkin-row", has_text="孙三").locator("form[action$='/no_show'] button").click()
        phone.wait_for_url(re.compile(r".*/check-in(#r\d+)?$"))
        assert phone.locator("li.checkin-attended").count() == 1 and phone.locator("li.checkin-no_show").count() == 1
        assert _fits(phone)
        phone.screenshot(path=str(artifacts / "visit-checkin-phone.png"), full_page=True)
        phone.goto(f"{live_server}/team/visits/{visit_id}")
        phone.click("form[action$='/done'] button[type=submit]")
        phone.wait_for_url(re.compile(rf".*/team/visits/{visit_id}$"))
        assert _fits(phone)
        phone_context.close()
    with app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert visit.state == "done"
        assert sorted((r.name, r.attendance) for r in visit.registrations if r.state == "confirmed") == [
            ("孙三", "no_show"), ("钱二", "attended")]
        db.session.remove()
