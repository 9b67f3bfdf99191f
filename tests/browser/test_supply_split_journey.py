"""The county splits the demo New Year campaign between two villages on a phone, allocates every village, and
the unit that adopted geese sees who raises them."""

import re

import pytest

from tests.support.browser_pages import PHONE, fits as _fits, staff_login as _login

pytestmark = pytest.mark.browser


def test_county_splits_and_unit_sees_its_adoption(browser, live_server, demo_logins, artifacts):
    """Can the county move a pledge to the other village, allocate both villages, and the adopting unit
    see the masked household and village raising its goose, on a phone?"""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    _login(page, live_server, demo_logins.admin[0], demo_logins.admin[1], "/county/")
    page.goto(live_server + "/county/campaigns")
    page.click("text=2026 囤年货")
    page.wait_for_url(re.compile(r".*/county/campaigns/\d+$"))
    page.click("a[href$='/split']")
    page.wait_for_url(re.compile(r".*/county/campaigns/\d+/split$"))
    assert "李家村" in page.inner_text("#villages") and "石门村" in page.inner_text("#villages")
    assert _fits(page)
    page.screenshot(path=str(artifacts / "county-split-phone.png"), full_page=True)
    select = page.locator("#split select").first
    current = select.input_value()
    other = [o for o in select.locator("option").evaluate_all("els => els.map(e => e.value)") if o != current][0]
    select.select_option(other)
    page.click("main form:has(#split) button[type=submit]")
    page.wait_for_url(re.compile(r".*/split$"))
    assert page.locator("#split .badge").count() >= 1  # set by the county
    page.click("form[action$='/allocate'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/split$"))
    assert page.locator(".flash-success").count() == 1
    page.screenshot(path=str(artifacts / "county-split-allocated-phone.png"), full_page=True)
    context.close()

    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    hospital = next(u for u in demo_logins.units if u[0] == "县人民医院")
    _login(page, live_server, hospital[1], hospital[2], "/partner/")
    page.goto(live_server + "/partner/pledges")
    page.locator("main tr:has-text('2026 囤年货') a[href^='/partner/pledges/']").first.click()
    page.wait_for_url(re.compile(r".*/partner/pledges/\d+$"))
    adoptions = page.inner_text("#adoptions")
    assert "*" in adoptions and "石门村" in adoptions
    assert _fits(page)
    page.screenshot(path=str(artifacts / "unit-adoption-phone.png"), full_page=True)
    context.close()
