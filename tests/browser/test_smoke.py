"""Each of the four roles logs in through a real browser and sees its home page in Chinese,
at phone and desktop width; screenshots go to tests/artifacts/."""

import pytest

pytestmark = pytest.mark.browser

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def _roles(logins):
    return {
        "county": ("/login", {"#login": logins.admin[0], "#password": logins.admin[1]}, "/county/", "全县概况"),
        "team": ("/login", {"#login": logins.teams[0][1], "#password": logins.teams[0][2]}, "/team/", logins.teams[0][0]),
        "partner": ("/login", {"#login": logins.units[0][1], "#password": logins.units[0][2]}, "/partner/", logins.units[0][0]),
        "household": ("/login/pin", {"#phone": logins.households[0][2], "#pin": logins.households[0][3]}, "/household/",
                      logins.households[0][1]),
    }


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("role", ["county", "team", "partner", "household"])
def test_role_logs_in_and_sees_home_in_chinese(browser, live_server, demo_logins, artifacts, role, width):
    """Does each role log in, land on its own home page in Chinese, fit a 390 px phone without sideways scrolling?"""
    path, fields, home, expected_text = _roles(demo_logins)[role]
    context = browser.new_context(viewport=WIDTHS[width], locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server + path)
    for selector, value in fields.items():
        page.fill(selector, value)
    page.click("form button[type=submit]")
    page.wait_for_url(live_server + home)
    assert expected_text in page.inner_text("main")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    page.screenshot(path=str(artifacts / f"home-{role}-{width}.png"), full_page=True)
    assert errors == [], errors
    context.close()


def test_import_errors_show_in_the_browser(browser, live_server, demo_logins, artifacts, tmp_path):
    """Does a team member see every problem of a bad import file, by row and column, on a phone?"""
    bad = tmp_path / "households.csv"
    bad.write_text("户主姓名,类别,手机号\n王秀英,贫困户,139\n,富户,13911112222\n", encoding="utf-8")
    context = browser.new_context(viewport=WIDTHS["phone"])
    page = context.new_page()
    page.goto(live_server + "/login")
    page.fill("#login", demo_logins.teams[0][1])
    page.fill("#password", demo_logins.teams[0][2])
    page.click("form button[type=submit]")
    page.goto(live_server + "/team/households/import")
    page.set_input_files("#file", str(bad))
    page.click("form[enctype] button[type=submit]")
    problems = page.inner_text(".problems")
    assert "一户也没有导入" in problems and "手机号" in problems and "户主姓名" in problems and "类别" in problems
    page.screenshot(path=str(artifacts / "import-problems-phone.png"), full_page=True)
    context.close()
