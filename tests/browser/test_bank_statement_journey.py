"""The county on a phone (390 px): uploads its bank's GBK statement, sees the demo's waiting transfer matched,
confirms it in one step, and the pledge is paid; then issues a requested invoice with its PDF, which the unit
downloads."""

import re

import pytest
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Invoice, Pledge
from courtyard.models.types import utcnow

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _login(page, live_server, login, password, home):
    page.goto(live_server + "/login")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("form button[type=submit]")
    page.wait_for_url(live_server + home)


def test_county_matches_a_bank_file_and_issues_an_invoice_on_a_phone(app, browser, live_server, demo_logins, artifacts,
                                                                     tmp_path):
    """Does a 390 px phone take the county from the bank's file to a paid pledge, and from a request to an issued
    invoice the unit can download, with no page wider than the screen?"""
    with app.app_context():
        waiting = db.session.scalar(select(Pledge).where(Pledge.state == "awaiting_transfer").order_by(Pledge.id))
        reference, total, pledge_id = waiting.reference, waiting.total_fen, waiting.id
        paid = db.session.scalar(select(Pledge).where(Pledge.state == "paid", Pledge.unit_id == waiting.unit_id))
        db.session.add(Invoice(pledge_id=paid.id, unit_id=paid.unit_id, state="requested", title="县财政局",
                               tax_number="11230000MB1234567X", amount_fen=paid.total_fen - paid.refunded_fen,
                               requested_at=utcnow()))
        db.session.commit()
        invoice_id = db.session.scalar(select(Invoice.id))
    statement = tmp_path / "农行明细.csv"
    statement.write_bytes(("交易日期,收入金额,支出金额,对方户名,对方账号,摘要,附言,交易流水号\n"
                           f"2026-12-03,{total / 100:.2f},,县财政局,6228480000000001,转账,{reference} 认购款,A0001\n"
                           "2026-12-03,,120.00,,,手续费,,A0002\n").encode("gbk"))
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    _login(page, live_server, demo_logins.admin[0], demo_logins.admin[1], "/county/")
    page.goto(live_server + "/county/bank-statements")
    assert _fits(page)
    page.select_option("#preset", "abc")
    page.set_input_files("#file", str(statement))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/county/bank-statements/\d+$"))
    assert page.locator("tr[data-state=matched]").count() == 1 and _fits(page)
    page.screenshot(path=str(artifacts / "bank-statement-phone.png"), full_page=True)
    page.click("form[action$='/confirm'] button")
    page.wait_for_url(re.compile(r".*/county/bank-statements/\d+$"))
    assert "已记录 1 笔转账" in page.content()
    with app.app_context():
        assert db.session.get(Pledge, pledge_id).state == "paid"

    invoice_pdf = tmp_path / "fapiao.pdf"
    invoice_pdf.write_bytes(b"%PDF-1.7\n% e-invoice\n%%EOF\n")
    page.goto(f"{live_server}/county/invoices/{invoice_id}")
    assert _fits(page)
    page.fill("#issue-number", "24232000000012345678")
    page.fill("#issue-issued_on", "2026-12-05")
    page.set_input_files("#issue-file", str(invoice_pdf))
    page.click("form:has(#issue-number) button[type=submit]")
    page.wait_for_url(re.compile(rf".*/county/invoices/{invoice_id}$"))
    assert "24232000000012345678" in page.content()
    context.close()

    unit = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = unit.new_page()
    login, password = next((l, p) for name, l, p in demo_logins.units if name == "县财政局")
    _login(page, live_server, login, password, "/partner/")
    page.goto(live_server + "/partner/invoices")
    assert _fits(page)
    with page.expect_download() as download:
        page.click(f"a[href='/partner/invoices/{invoice_id}/file']")
    assert download.value.suggested_filename.endswith(".pdf")
    unit.close()
