"""A household reads its messages on a 390 px phone in a real browser; a neighbour does not see them."""

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Household, Notice
from tests.support.browser_pages import fits, new_page, pin_login, screenshot


def test_a_household_reads_its_allocation_text_in_its_inbox_at_390_px(app, browser, live_server, demo_logins, artifacts):
    """In the demo, does a 李家村 household find the allocation text (with its goods) in 消息, unread then read,
    the page fitting a 390 px phone; and does the next household's inbox not hold it?"""
    lijia = [h for h in demo_logins.households if h[0] == "李家村"]
    (_v, _n, phone, pin), (_v2, _n2, other_phone, other_pin) = lijia[0], lijia[1]
    with app.app_context():
        household_id = db.session.scalar(select(Household.id).where(Household.phone == phone))
        notice = db.session.scalars(select(Notice).where(Notice.household_id == household_id,
                                                         Notice.kind == "allocation_published")).first()
        body, notice_id = notice.body, notice.id
    context, page = new_page(browser)
    pin_login(page, live_server, phone, pin)
    unread = int(page.get_attribute("[data-inbox-unread]", "data-inbox-unread"))
    assert unread >= 1
    page.click("[data-inbox-unread]")
    page.wait_for_url(live_server + "/messages/")
    item = page.locator(f"[data-notice='{notice_id}']")
    assert "供货安排已公示" in item.inner_text() and item.get_attribute("class") == "unread"
    assert fits(page)
    screenshot(page, artifacts, "household-inbox-list", "phone")
    item.locator("a").click()
    page.wait_for_url(live_server + f"/messages/{notice_id}")
    assert body in page.inner_text("article.inbox-message")
    assert fits(page)
    screenshot(page, artifacts, "household-inbox-message", "phone")
    assert int(page.get_attribute("[data-inbox-unread]", "data-inbox-unread")) == unread - 1
    context.close()

    context, page = new_page(browser)
    pin_login(page, live_server, other_phone, other_pin)
    page.goto(live_server + "/messages/")
    assert page.locator(f"[data-notice='{notice_id}']").count() == 0
    response = page.goto(live_server + f"/messages/{notice_id}")
    assert response.status == 404
    context.close()
