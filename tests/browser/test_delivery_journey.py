"""A whole delivery round of the demo's summer garden box in a real browser: the scheduler allocates it at the
cut-off, the team prints the pick list and records collection with one rejection on a phone, the county packs
with trace codes and ships, one unit confirms and another reports a problem that the county resolves."""

import re
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Delivery, DeliveryRound
from courtyard.services.deliveries.delivery_rounds import allocate_due_rounds
from tests.support.browser_pages import fits as _fits, staff_session as _login

pytestmark = pytest.mark.browser


def _unit(demo_logins, name):
    return next((login, password) for unit, login, password in demo_logins.units if unit == name)


def test_a_delivery_round_from_cutoff_to_complaint(app, browser, live_server, demo_logins, artifacts, tmp_path):
    """Does a round go from the scheduler's allocation through collection, packing, shipping and delivery to one
    confirmation and one resolved complaint, with the on-time rate shown to the county?"""
    with app.app_context():
        round_ = db.session.scalar(select(DeliveryRound).where(DeliveryRound.state == "scheduled")
                                   .order_by(DeliveryRound.delivers_on))
        round_id, cutoff = round_.id, round_.cutoff_at
        assert allocate_due_rounds(cutoff - timedelta(minutes=1)) == 0
        assert allocate_due_rounds(cutoff) == 1  # what the allocate-rounds job does at the cut-off
        db.session.remove()

    team, page = _login(browser, live_server, demo_logins.teams[0][1], demo_logins.teams[0][2])
    page.goto(live_server + "/team/collection")
    page.click(f"a[href='/team/collection/{round_id}']")
    page.wait_for_url(re.compile(rf".*/team/collection/{round_id}$"))
    assert _fits(page)
    pick_list = page.request.get(live_server + f"/team/collection/{round_id}/pick-list.pdf")
    assert pick_list.headers["content-type"] == "application/pdf" and pick_list.body()[:4] == b"%PDF"
    line = page.locator(".hh-line:has(form.line-form)").first
    household = line.evaluate("line => line.closest('.hh-card').dataset.household")
    line = page.locator(f".hh-card[data-household='{household}'] .hh-line[data-item='{line.get_attribute('data-item')}']")
    form = line.locator("form.line-form")
    form.locator("button[data-step='-1']").first.click()  # one unit less accepted
    form.locator("button[data-step='1']").nth(1).click()  # one unit rejected
    form.locator("input[name=reason]").fill("黄瓜太老")
    form.locator("button.save-line").click()
    expect(line).to_have_attribute("data-recorded", "1")
    expect(page.locator("#sync-status")).to_contain_text("已同步")
    expect(page.locator(f".hh-card[data-household='{household}']")).to_contain_text("黄瓜太老")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#all-good-all")
    expect(page.locator(".hh-card:not(.done)")).to_have_count(0)
    expect(page.locator("#sync-status")).to_contain_text("已同步")
    page.reload()
    expect(page.locator("form.line-form")).to_have_count(0)
    page.screenshot(path=str(artifacts / "delivery-collection-phone.png"), full_page=True)
    page.click("form.finish-form button[type=submit]")
    page.wait_for_load_state()
    team.close()

    county, page = _login(browser, live_server, demo_logins.admin[0], demo_logins.admin[1], viewport=None)
    page.goto(live_server + f"/county/rounds/{round_id}")
    page.click("form[action$='/pack'] button[type=submit]")
    page.wait_for_load_state()
    delivery_links = page.locator("table.deliveries-table tr[data-state='packed'] a")
    hrefs = [delivery_links.nth(n).get_attribute("href") for n in range(delivery_links.count())]
    assert len(hrefs) == 3
    for href in hrefs:
        page.goto(live_server + href)
        page.click("form[action$='/advance'] button[type=submit]")  # shipped
        page.wait_for_load_state()
        page.click("form[action$='/advance'] button[type=submit]")  # delivered
        page.wait_for_load_state()
    page.goto(live_server + hrefs[0] + "/packing-list")
    assert page.locator("table.print-table code").count() == 6  # 县第一中学 bought 6 boxes
    codes = page.locator("table.print-table code").all_inner_texts()
    assert len(set(codes)) == 6 and all(len(code) == 12 for code in codes)
    page.screenshot(path=str(artifacts / "delivery-packing-list.png"), full_page=True)

    school, page = _login(browser, live_server, *_unit(demo_logins, "县第一中学"))
    page.goto(live_server + "/partner/deliveries")
    assert _fits(page)
    page.click(f"a[href='{hrefs[0].replace('/county/', '/partner/')}']")
    assert "*" in page.inner_text("table.origins")
    page.click("form.confirm-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("form.confirm-form").count() == 0 and page.locator(".steps li.done").count() == 6
    school.close()

    photo = tmp_path / "broken.png"
    Image.new("RGB", (40, 30), "orange").save(photo)
    hospital, page = _login(browser, live_server, *_unit(demo_logins, "县人民医院"))
    page.goto(live_server + hrefs[1].replace("/county/", "/partner/"))
    page.fill("#description", "三盒鸡蛋破了")
    page.set_input_files("#photo", str(photo))
    page.click("form.report-form button[type=submit]")
    page.wait_for_load_state()
    assert "三盒鸡蛋破了" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "delivery-problem-phone.png"), full_page=True)
    hospital.close()

    page = county.new_page()
    page.goto(live_server + "/county/deliveries")
    page.click("ul.complaints a >> nth=0")
    page.check("input[name=resolution][value=refund]")
    page.fill("#amount", "135")
    page.fill("#note", "破损鸡蛋退款")
    page.click("form.resolve-form button[type=submit]")
    page.wait_for_load_state()
    assert "破损鸡蛋退款" in page.inner_text("article.complaint")
    page.goto(live_server + "/county/deliveries")
    assert page.inner_text(".on-time-rate").endswith("%")
    page.screenshot(path=str(artifacts / "delivery-county-list.png"), full_page=True)
    county.close()
    with app.app_context():
        states = sorted(d.state for d in db.session.scalars(select(Delivery).where(Delivery.round_id == round_id)))
        assert states == ["confirmed", "delivered", "delivered"]
        db.session.remove()
