"""One journey per role on the demo county, in a real browser at 390 px (phone) and at desktop width, with a
screenshot of every key step under tests/artifacts/journeys/: a unit pledges and pays, registers a visitor,
confirms a delivery and opens a trace page; a team records capacity, allocates, runs a collection day and prints
the pick list; a household reads its statement after a PIN login; the county creates a campaign, closes it and
reads the dashboard."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from courtyard.demo.visits import build_demo_visits
from courtyard.extensions import db
from courtyard.models import Campaign, DeliveryRound, Pledge
from courtyard.models.types import utcnow
from tests.support.browser_pages import SCREENS, VIEWPORTS, fits, new_page, pin_login, screenshot, staff_login

pytestmark = pytest.mark.browser


def _yuan(text):
    return float(re.sub(r"[^\d.]", "", text))


def _fits(page, screen):
    return screen != "phone" or fits(page)


def _demo_unit(demo_logins, name):
    return next((login, password) for unit, login, password in demo_logins.units if unit == name)


@SCREENS
def test_a_unit_pledges_registers_confirms_and_traces(app, browser, live_server, demo_logins, stripe_config, artifacts,
                                                      screen):
    """Can 县供电公司 pay a card pledge (its spending goes up), register a representative for a picking visit,
    confirm a delivered box and open the trace page of one of its packages, each page fitting the screen?"""
    with app.app_context():
        build_demo_visits(utcnow())
        campaign_id = db.session.scalar(select(Campaign.id).where(Campaign.mode == "flexible"))
        db.session.remove()
    context, page = new_page(browser, VIEWPORTS[screen])
    staff_login(page, live_server, *_demo_unit(demo_logins, "县供电公司"), home="/partner/")
    spent = _yuan(page.inner_text("[data-figure=spent]"))
    assert _fits(page, screen)
    screenshot(page, artifacts, "unit-1-home", screen)

    page.goto(f"{live_server}/partner/campaigns/{campaign_id}/pledge")
    page.select_option("#lines-0-offer_id", index=1)
    page.fill("#lines-0-quantity", "2")
    page.check("input[value=card]")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/partner/pledges/\d+$"))
    assert _fits(page, screen)
    screenshot(page, artifacts, "unit-2-pay-by-card", screen)
    unpaid = page.inner_text("h1 .badge")
    page.fill("#card_number", "4242424242424242")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    pledge_id = int(re.search(r"/partner/pledges/(\d+)", page.url).group(1))
    assert page.inner_text("h1 .badge") != unpaid
    screenshot(page, artifacts, "unit-3-paid", screen)
    with app.app_context():
        assert db.session.get(Pledge, pledge_id).state == "paid"
        db.session.remove()
    page.goto(live_server + "/partner/")
    assert _yuan(page.inner_text("[data-figure=spent]")) == spent + 2 * 88

    page.goto(live_server + "/partner/visits")
    page.click("main h3 a >> nth=0")
    page.wait_for_url(re.compile(r".*/partner/visits/\d+$"))
    before = page.locator("li.representative").count()
    page.fill("#name", "郑小伟")
    page.fill("#phone", "13904529999")
    page.click("form:has(#name) button[type=submit]")
    page.wait_for_url(re.compile(r".*/partner/visits/\d+$"))
    assert page.locator("li.representative").count() == before + 1
    assert "郑小伟" in page.inner_text("li.representative >> nth=-1")
    assert _fits(page, screen)
    screenshot(page, artifacts, "unit-4-visitor-registered", screen)

    page.goto(live_server + "/partner/deliveries")
    assert _fits(page, screen)
    page.click("article.delivery-card[data-state=delivered] h3 a")
    page.wait_for_url(re.compile(r".*/partner/deliveries/\d+$"))
    page.click("form.confirm-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("form.confirm-form").count() == 0
    assert page.inner_text("h1 .badge") != ""
    assert _fits(page, screen)
    screenshot(page, artifacts, "unit-5-delivery-confirmed", screen)
    page.goto(live_server + "/partner/deliveries")
    assert page.locator("article.delivery-card[data-state=confirmed]").count() == 1

    page.click("article.delivery-card[data-state=confirmed] h3 a")
    code = page.locator("table.box-scans code").first.inner_text()
    page.click("table.box-scans a >> nth=0")
    page.wait_for_url(f"{live_server}/t/{code}")
    assert page.locator("code").first.inner_text() == code and page.locator(".trace-source").count() >= 1
    assert _fits(page, screen)
    screenshot(page, artifacts, "unit-6-trace-page", screen)
    context.close()


@SCREENS
def test_a_household_reads_its_statement_after_a_pin_login(browser, live_server, demo_logins, artifacts, screen):
    """Does a 李家村 household reach its three figures with phone and PIN, and the lines behind them?"""
    _village, _name, phone, pin = next(h for h in demo_logins.households if h[0] == "李家村")
    context, page = new_page(browser, VIEWPORTS[screen])
    page.goto(live_server + "/household/statement")
    assert "/login" in page.url  # the statement is not public
    pin_login(page, live_server, phone, pin)
    assert page.inner_text("[data-figure=earned]") != "¥0.00"
    assert page.inner_text("[data-figure=owed]").startswith("¥")
    assert _fits(page, screen)
    screenshot(page, artifacts, "household-1-home", screen)
    page.click("a[href='/household/statement']")
    page.wait_for_url(re.compile(r".*/household/statement"))
    assert page.locator(".statement-line[data-kind=goods_accepted]").count() > 0
    assert page.locator(".statement-line[data-kind=payout]").count() > 0
    assert _fits(page, screen)
    screenshot(page, artifacts, "household-2-statement", screen)
    context.close()


@SCREENS
def test_a_team_declares_allocates_collects_and_prints(app, browser, live_server, demo_logins, artifacts, screen):
    """Can 李家村's team declare a household's capacity, allocate the New Year round (that household gets a share),
    record a collection day with one rejection and finish it, and print a pick list PDF with a page per stop?"""
    with app.app_context():
        round_id = db.session.scalar(select(DeliveryRound.id).where(DeliveryRound.state == "allocated"))
        db.session.remove()
    context, page = new_page(browser, VIEWPORTS[screen])
    staff_login(page, live_server, *next(t for t in demo_logins.teams if t[0] == "李家村")[1:], home="/team/")
    page.goto(live_server + "/team/supply")
    assert _fits(page, screen)
    page.click("text=2026 囤年货 >> xpath=.. >> a")
    page.wait_for_url(re.compile(r".*/team/supply/\d+$"))
    last = page.locator("table.capacity-table tbody tr").last
    household_id = last.locator("th a").get_attribute("href").rsplit("/", 1)[1]
    while not last.is_visible():  # on a phone: one household card at a time
        page.click("#capacity-pager button[data-page='1']")
    cells = last.locator("input")
    for n in range(cells.count()):
        cells.nth(n).fill("3")
    page.click("form:has(table.capacity-table) button[type=submit]")
    page.wait_for_url(re.compile(r".*/team/supply/\d+$"))
    assert page.locator(".field-error").count() == 0
    assert page.locator("table.capacity-table tbody tr").last.locator("input").first.input_value() == "3"
    assert _fits(page, screen)
    screenshot(page, artifacts, "team-1-capacity", screen)

    page.click("form[action$='/run'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/team/allocation/runs/\d+$"))
    assert page.locator(f"table.allocation-table tr[data-household='{household_id}']").count() > 0
    assert _fits(page, screen)
    screenshot(page, artifacts, "team-2-allocated", screen)

    page.goto(live_server + "/team/collection")
    page.click(f"a[href='/team/collection/{round_id}']")
    page.wait_for_url(re.compile(rf".*/team/collection/{round_id}$"))
    line = page.locator(".hh-line:has(form.line-form)").first
    household = line.evaluate("line => line.closest('.hh-card').dataset.household")
    line = page.locator(f".hh-card[data-household='{household}'] .hh-line[data-item='{line.get_attribute('data-item')}']")
    form = line.locator("form.line-form")
    form.locator("button[data-step='-1']").first.click()
    form.locator("button[data-step='1']").nth(1).click()
    form.locator("input[name=reason]").fill("叶子发黄")
    form.locator("button.save-line").click()
    expect(line).to_have_attribute("data-recorded", "1")
    expect(page.locator("#sync-status")).to_contain_text("已同步")
    expect(page.locator(f".hh-card[data-household='{household}']")).to_contain_text("叶子发黄")
    assert _fits(page, screen)
    screenshot(page, artifacts, "team-3-collection-rejection", screen)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#all-good-all")
    expect(page.locator(".hh-card:not(.done)")).to_have_count(0)
    expect(page.locator("#sync-status")).to_contain_text("已同步")
    page.reload()
    expect(page.locator("form.line-form")).to_have_count(0)
    page.click("form.finish-form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/team/collection/{round_id}$"))
    assert page.locator("form.finish-form").count() == 0
    screenshot(page, artifacts, "team-4-collection-finished", screen)

    href = page.get_attribute(f"a[href$='/collection/{round_id}/pick-list.pdf']", "href")
    pick_list = page.request.get(live_server + href)
    assert pick_list.ok and pick_list.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(pick_list.body()))
    assert len(pdf.pages) >= 1 and pdf.pages[0].extract_text().strip()
    (artifacts / "journeys" / f"team-5-pick-list-{screen}.pdf").write_bytes(pick_list.body())
    context.close()


@SCREENS
def test_the_county_creates_and_closes_a_campaign_and_reads_the_dashboard(app, browser, live_server, demo_logins,
                                                                           artifacts, screen):
    """Can the county create a campaign, open it, close and settle it once its time is up (its state changes), and
    then read the dashboard's figures and charts, on either screen?"""
    context, page = new_page(browser, VIEWPORTS[screen])
    staff_login(page, live_server, *demo_logins.admin[:2], home="/county/")
    assert _fits(page, screen)
    page.goto(live_server + "/county/campaigns/new")
    page.fill("#title", "2027 春耕小笨鸡")
    page.select_option("#mode", "flexible")
    page.fill("#goal_value", "5")
    page.select_option("#offers-0-package_id", index=1)
    page.fill("#offers-0-price", "398")
    page.fill("#offers-0-cap", "10")
    assert _fits(page, screen)
    screenshot(page, artifacts, "county-1-new-campaign", screen)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/county/campaigns/\d+$"))
    campaign_id = int(page.url.rsplit("/", 1)[1])
    draft = page.inner_text("h1 .badge")
    page.click("form[action$='/open'] button[type=submit]")
    page.wait_for_url(re.compile(rf".*/county/campaigns/{campaign_id}$"))
    opened = page.inner_text("h1 .badge")
    assert opened != draft and page.locator("form[action$='/close']").count() == 0  # not before its time
    assert _fits(page, screen)
    screenshot(page, artifacts, "county-2-campaign-open", screen)
    with app.app_context():
        closes_at = db.session.get(Campaign, campaign_id).closes_at
        db.session.remove()

    with time_machine.travel(closes_at + timedelta(minutes=5), tick=True):
        page.reload()
        page.click("form[action$='/close'] button[type=submit]")
        page.wait_for_url(re.compile(rf".*/county/campaigns/{campaign_id}$"))
        assert page.inner_text("h1 .badge") not in (draft, opened)
        screenshot(page, artifacts, "county-3-campaign-closed", screen)
        with app.app_context():
            assert db.session.get(Campaign, campaign_id).state in ("funded", "failed", "closed")
            db.session.remove()

        page.goto(live_server + "/county/")
        page.click("a[data-link=dashboard]")
        page.wait_for_url(live_server + "/county/dashboard")
        assert int(page.inner_text("[data-figure=reached]")) > 0 and page.locator("main svg").count() >= 4
        assert _fits(page, screen)
        screenshot(page, artifacts, "county-4-dashboard", screen)
    context.close()
