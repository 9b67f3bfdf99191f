"""In a real browser: the county prints a packed round's labels, and the QR code on a label — decoded from
the PDF's image — opens that package's trace page on a phone, without a login."""

import pytest
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Box, DeliveryRound
from tests.support.browser_pages import PHONE, staff_login
from tests.support.qr import qr_texts

pytestmark = pytest.mark.browser


@pytest.fixture
def public_base(app, live_server):
    """Labels point at the live server, as PUBLIC_BASE_URL does in production."""
    before = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = live_server
    yield live_server
    app.config["PUBLIC_BASE_URL"] = before


def test_a_label_qr_code_opens_the_right_trace_page(app, browser, public_base, demo_logins, artifacts):
    """Does the QR on the printed A4 label sheet decode to the box's own /t/<code> page, which shows the
    package and its masked origin on a 390 px phone?"""
    with app.app_context():
        round_id = db.session.scalar(select(DeliveryRound.id).where(DeliveryRound.state == "packed"))
        codes = db.session.scalars(select(Box.trace_code).order_by(Box.id)).all()
        db.session.remove()
    county = browser.new_context(locale="zh-CN")
    page = county.new_page()
    staff_login(page, public_base, demo_logins.admin[0], demo_logins.admin[1])
    page.goto(public_base + f"/county/rounds/{round_id}")
    href = page.locator(f"a[href$='/rounds/{round_id}/labels-a4.pdf']").get_attribute("href")
    pdf = page.request.get(public_base + href)
    assert pdf.headers["content-type"] == "application/pdf"
    (artifacts / "labels-a4.pdf").write_bytes(pdf.body())
    urls = qr_texts(pdf.body())
    assert sorted(urls) == sorted(f"{public_base}/t/{code}" for code in codes)
    county.close()

    phone = browser.new_context(viewport=PHONE, locale="zh-CN")
    buyer = phone.new_page()
    buyer.goto(urls[0])
    assert buyer.url == f"{public_base}/t/{codes[0]}"
    assert buyer.locator("code").first.inner_text() == codes[0]
    assert "夏季小菜园周配" in buyer.locator("h1").inner_text()
    assert buyer.locator(".trace-source").count() >= 1
    assert buyer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    buyer.screenshot(path=str(artifacts / "trace-page-phone.png"), full_page=True)
    phone.close()
