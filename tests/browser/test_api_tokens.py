"""A partner unit makes an API token on a phone, copies it, uses it, and revokes it."""

import re

import pytest
import requests

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_unit_makes_uses_and_revokes_a_token_on_a_phone(browser, live_server, demo_logins, artifacts):
    """Is the new token shown once on a 390 px page, does it read the API, and does revoking stop it?"""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.fill("#login", demo_logins.units[0][1])
    page.fill("#password", demo_logins.units[0][2])
    page.click("form button[type=submit]")
    page.wait_for_url(live_server + "/partner/")
    page.click("nav a[href='/api-tokens']")
    page.fill("#name", "食堂对账表格二")
    page.click("main form button[type=submit]")
    secret = page.input_value("#token-secret")
    assert secret.startswith("cyt_")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "api-tokens-phone.png"), full_page=True)
    headers = {"Authorization": f"Bearer {secret}"}
    assert requests.get(f"{live_server}/api/v1/me", headers=headers, timeout=10).json()["login"] == demo_logins.units[0][1]
    page.goto(live_server + "/api-tokens")
    assert secret not in page.content()
    page.locator(".token-list li", has_text="食堂对账表格二").locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/api-tokens$"))
    assert requests.get(f"{live_server}/api/v1/me", headers=headers, timeout=10).status_code == 401
    context.close()
