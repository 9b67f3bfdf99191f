"""The dashboards with the demo data in a real browser, in Chinese, on a 390 px phone and on a desktop:
figures, SVG charts, filters, and an export link that downloads a spreadsheet."""

import io

import pytest
from openpyxl import load_workbook

from tests.support.browser_pages import DESKTOP, PHONE, staff_session as _login

pytestmark = pytest.mark.browser


def _fits(page, viewport):
    return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("viewport,name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_county_dashboard_with_the_demo_data(browser, live_server, demo_logins, artifacts, viewport, name):
    """Does the county reach the dashboard from its home page and see households reached, funding progress and
    charts that fit the screen; does a village filter apply, and does the tiers export open as a spreadsheet?"""
    context, page = _login(browser, live_server, demo_logins.admin[0], demo_logins.admin[1], viewport)
    page.goto(live_server + "/county/")
    page.click("a[data-link=dashboard]")
    page.wait_for_url(live_server + "/county/dashboard")
    assert int(page.inner_text("[data-figure=reached]")) > 0
    assert page.locator("main svg").count() >= 4
    assert "2026 囤年货" in page.inner_text("main")
    assert _fits(page, viewport)
    page.screenshot(path=str(artifacts / f"dashboard-county-{name}.png"), full_page=True)
    with page.expect_download() as download:
        page.click("a[data-export=tiers-xlsx]")
    rows = list(load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active.iter_rows(values_only=True))
    assert rows[0][0] == "农户类别" and len(rows) > 1
    if name == "desktop":
        page.click("details.dashboard-filter-box summary")
        page.select_option("#village", label="青山镇 李家村")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "village=" in page.url and int(page.inner_text("[data-figure=reached]")) > 0
    context.close()


def test_the_team_and_unit_dashboards_on_a_phone(browser, live_server, demo_logins, artifacts):
    """Does 李家村's team see its village's income by tier, and 县第一中学 the households its boxes came from,
    masked, on a phone?"""
    team = next(t for t in demo_logins.teams if t[0] == "李家村")
    context, page = _login(browser, live_server, team[1], team[2], PHONE)
    page.goto(live_server + "/team/dashboard")
    assert int(page.inner_text("[data-figure=reached]")) > 0 and page.locator("main svg").count() >= 2
    assert _fits(page, PHONE)
    page.screenshot(path=str(artifacts / "dashboard-team-phone.png"), full_page=True)
    context.close()
    unit = next(u for u in demo_logins.units if u[0] == "县第一中学")
    context, page = _login(browser, live_server, unit[1], unit[2], PHONE)
    page.goto(live_server + "/partner/")
    page.click("a[data-link=dashboard]")
    page.wait_for_url(live_server + "/partner/dashboard")
    assert int(page.inner_text("[data-figure=households]")) > 0
    assert "*" in page.inner_text("table.helped-households")
    assert _fits(page, PHONE)
    page.screenshot(path=str(artifacts / "dashboard-partner-phone.png"), full_page=True)
    context.close()
