"""Page helpers shared by the browser tests: screen sizes, logging in as staff or as a household, the 390 px
check, and screenshots under tests/artifacts/journeys/."""

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENS = pytest.mark.parametrize("screen", ["phone", "desktop"])
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def new_page(browser, viewport=PHONE):
    """A fresh context (own cookies) in Chinese at the given size; returns (context, page)."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    return context, context.new_page()


def staff_login(page, base, login, password, home=None):
    """Log a county, team or unit user in with login and password; waits for `home` when given."""
    page.goto(base + "/login")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("main form button[type=submit]")
    if home:
        page.wait_for_url(base + home)
    else:
        page.wait_for_load_state()


def staff_session(browser, base, login, password, viewport=PHONE):
    """A new context logged in as a county, team or unit user; returns (context, page)."""
    context, page = new_page(browser, viewport)
    staff_login(page, base, login, password)
    return context, page


def pin_login(page, base, phone, pin):
    """Log a household in with its phone number and PIN; lands on the household's home page."""
    page.goto(base + "/login/pin")
    page.fill("#phone", phone)
    page.fill("#pin", pin)
    page.click("main form button[type=submit]")
    page.wait_for_url(base + "/household/")


def fits(page, width=PHONE["width"]):
    """Whether the page fits the screen's width without scrolling sideways."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


def screenshot(page, artifacts, name, screen):
    """Save a full-page screenshot as tests/artifacts/journeys/<name>-<screen>.png."""
    folder = artifacts / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{screen}.png"), full_page=True)


def type_card(page, number, *, authenticate=False):
    """Type a test card into Stripe.js' card field (localstripe's stand-in) and send it to Stripe; ``authenticate``:
    pass the bank's 3-D Secure challenge that follows."""
    for name, value in (("number", number), ("exp_month", "12"), ("exp_year", "34"), ("cvc", "123"),
                        ("postal_code", "10000")):
        page.fill(f"#card-element input[placeholder={name}]", value)
    page.click("#new-card-button")
    if authenticate:
        pass_challenge(page)


def pass_challenge(page):
    """Pass the bank's 3-D Secure challenge localstripe's Stripe.js shows."""
    page.click("text=Complete authentication")
    page.wait_for_load_state()
