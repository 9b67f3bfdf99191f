"""A work team allocates the demo New Year round in a real browser on a phone: capacity, run, adjust, un-pin,
publish, shortfall on collection day."""

import re

import pytest

from tests.support.browser_pages import PHONE, fits as _fits, staff_login

pytestmark = pytest.mark.browser


def test_team_allocates_a_round_on_a_phone(browser, live_server, demo_logins, artifacts):
    """Can a team declare capacity, run the allocation, adjust one household with a reason and un-pin it again, publish,
    and hand a collection-day shortfall to others, on a phone?"""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    staff_login(page, live_server, demo_logins.teams[0][1], demo_logins.teams[0][2], home="/team/")
    page.goto(live_server + "/team/supply")
    assert _fits(page)
    page.click("text=2026 囤年货 >> xpath=.. >> a")
    rows, n = page.locator("table.capacity-table tr.capacity-card"), 0
    for row in range(rows.count()):  # one household card at a time on a phone, next to go on
        cells = rows.nth(row).locator("input")
        for cell in range(cells.count()):
            cells.nth(cell).fill(str(2 + n % 3))
            n += 1
        if row < rows.count() - 1:
            page.click("#capacity-pager button[data-page='1']")
    page.click("form:has(table.capacity-table) button[type=submit]")
    page.wait_for_url(re.compile(r".*/team/supply/\d+$"))
    assert page.locator(".field-error").count() == 0
    page.screenshot(path=str(artifacts / "allocation-capacity-phone.png"))
    page.click("form[action$='/run'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/team/allocation/runs/\d+$"))
    assert _fits(page)
    rows = page.locator("table.allocation-table tr[data-units]")
    assert rows.count() > 0
    first = page.locator("table.allocation-table tr[data-units]").first
    page.select_option("#household", first.get_attribute("data-household"))
    page.select_option("#item", first.get_attribute("data-item"))
    page.fill("#units", "0")
    page.fill("#reason", "本户临时外出，少供一些")
    page.click("form[action$='/adjust'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/team/allocation/runs/\d+$"))
    assert "本户临时外出，少供一些" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "allocation-result-phone.png"), full_page=True)
    page.screenshot(path=str(artifacts / "allocation-result-phone-top.png"))
    unpin = page.locator("form.unpin").first
    unpin.locator("input[name=reason]").fill("回来了，照常供货")
    unpin.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/team/allocation/runs/\d+(#pins)?$"))
    assert page.locator("form.unpin").count() == 0 and "回来了，照常供货" in page.inner_text("main")
    page.click("form[action$='/publish'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/team/allocation/runs/\d+$"))
    supplying = page.locator("table.allocation-table tr[data-units]:not([data-units='0'])").first
    page.select_option("#shortfall-household", supplying.get_attribute("data-household"))
    page.select_option("#shortfall-item", supplying.get_attribute("data-item"))
    page.fill("#shortfall-units", "0")
    page.fill("#shortfall-reason", "收货日没能送来")
    page.click("form[action*='/shortfall'] button[type=submit]")
    page.wait_for_selector("table.proposal")
    page.screenshot(path=str(artifacts / "allocation-shortfall-phone.png"))
    page.click("form[action*='/shortfall'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/team/allocation/runs/\d+(#shortfall)?$"))
    assert "收货日没能送来" in page.inner_text("main")
    page.click("a[href^='/notice/']")
    page.wait_for_url(re.compile(r".*/notice/\d+$"))
    assert "*" in page.inner_text("table") and _fits(page)
    page.screenshot(path=str(artifacts / "allocation-notice-phone.png"), full_page=True)
    context.close()
