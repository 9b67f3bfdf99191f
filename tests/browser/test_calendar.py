"""The calendar in a real browser: a month grid on a desktop, a day-by-day list on a phone, and the
subscription address shown on the page really serves an iCalendar feed."""

import urllib.request

import pytest
from icalendar import Calendar

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _log_in(context, base, path, fields, landing):
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(base + path)
    for selector, value in fields.items():
        page.fill(selector, value)
    page.click("main form button[type=submit]")
    page.wait_for_url(base + landing)
    return page, errors


def _unit(logins):
    return "/login", {"#login": logins.units[0][1], "#password": logins.units[0][2]}, "/partner/"


def test_month_grid_on_a_desktop(browser, live_server, demo_logins, artifacts):
    """On a desktop, does the nav lead to a seven-column month with today marked and events linked to their pages?"""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page, errors = _log_in(context, live_server, *_unit(demo_logins))
    page.click("header a[href='/calendar/']")
    page.wait_for_url(live_server + "/calendar/")
    assert page.evaluate("getComputedStyle(document.querySelector('.month-grid')).display") == "grid"
    days = page.locator(".month-grid .day")
    assert days.count() % 7 == 0 and days.count() >= 28
    first, second = days.nth(0).bounding_box(), days.nth(1).bounding_box()
    assert first["y"] == second["y"] and second["x"] > first["x"]  # side by side: a grid, not a list
    today = page.locator(".day.today")
    assert today.count() == 1 and today.is_visible() and today.get_attribute("aria-current") == "date"
    page.screenshot(path=str(artifacts / "calendar-desktop.png"), full_page=True)
    this_month = page.locator(".day:not(.outside) .event a").count()
    page.click("a[rel=next]")
    page.wait_for_url(lambda url: "month=" in url)
    assert page.locator(".day.today").count() == 0
    next_month = page.locator(".day:not(.outside) .event a").count()
    assert this_month + next_month > 0  # the demo campaigns close within two weeks
    if next_month == 0:
        page.click("a[rel=prev]")
    page.locator(".day:not(.outside) .event a").first.click()
    page.wait_for_load_state()
    assert "/calendar/" not in page.url and page.locator("h1").count() > 0
    assert errors == [], errors
    context.close()


def test_day_list_on_a_phone_and_the_feed_it_offers(browser, live_server, demo_logins, artifacts):
    """On a 390 px phone, is the month a list of days with events (no sideways scrolling), and does the
    subscription URL on the page serve an .ics feed that parses with the unit's events?"""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page, errors = _log_in(context, live_server, *_unit(demo_logins))
    page.goto(live_server + "/calendar/")
    assert page.evaluate("getComputedStyle(document.querySelector('.month-grid')).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".weekday-row").is_hidden()
    for n in range(page.locator(".day.empty:not(.today)").count()):
        assert page.locator(".day.empty:not(.today)").nth(n).is_hidden()
    assert page.locator(".day.today .day-long").is_visible()
    page.screenshot(path=str(artifacts / "calendar-phone.png"), full_page=True)

    page.click("a[href='/calendar/subscribe']")
    page.wait_for_url(live_server + "/calendar/subscribe")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    https_url = page.input_value("#feed-url")
    webcal_url = page.get_attribute("a[data-feed=webcal]", "href")
    assert https_url.startswith(live_server + "/calendar/") and https_url.endswith(".ics")
    assert webcal_url == "webcal://" + https_url.split("://", 1)[1]
    page.screenshot(path=str(artifacts / "calendar-subscribe-phone.png"), full_page=True)

    with urllib.request.urlopen(https_url, timeout=10) as response:  # no cookies: the token alone opens it
        assert response.headers.get_content_type() == "text/calendar"
        calendar = Calendar.from_ical(response.read())
    events = calendar.walk("VEVENT")
    uids = [str(event["uid"]) for event in events]
    assert any(uid.startswith("campaign-") for uid in uids)
    assert any(uid.startswith("pledge-") for uid in uids)  # the finance bureau's unpaid top-up
    assert all(str(event["url"]).startswith(live_server) for event in events)
    assert errors == [], errors
    context.close()


def test_a_household_reads_its_calendar_in_big_type_on_a_phone(browser, live_server, demo_logins, artifacts):
    """Does a household, logged in by PIN, get its calendar in big type that fits the phone?"""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page, errors = _log_in(context, live_server, "/login/pin",
                           {"#phone": demo_logins.households[0][2], "#pin": demo_logins.households[0][3]}, "/household/")
    page.click("header a[href='/calendar/']")
    page.wait_for_url(live_server + "/calendar/")
    assert page.get_attribute("body", "class") == "big-type"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "calendar-household-phone.png"), full_page=True)
    assert errors == [], errors
    context.close()
