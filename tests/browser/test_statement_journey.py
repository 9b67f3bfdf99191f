"""Money in a real browser on a phone: a household reads its statement, a work team prints its village's
statements and pays a batch, and the county's reconciliation balances on the demo data."""

import re

import pytest
from pypdf import PdfReader

from tests.support.browser_pages import PHONE, fits as _fits, pin_login, staff_login as _staff_login

pytestmark = pytest.mark.browser


def test_a_household_reads_its_statement_on_a_phone(browser, live_server, demo_logins, artifacts):
    """After phone-and-PIN login: three big figures, then the lines behind them, all within 390 px."""
    village, _name, phone, pin = next(h for h in demo_logins.households if h[0] == "李家村")
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    pin_login(page, live_server, phone, pin)
    owed = page.inner_text("[data-figure=owed]")
    assert owed.startswith("¥") and owed != "¥0.00"
    assert page.inner_text("[data-figure=earned]") != "¥0.00"
    assert _fits(page)
    page.screenshot(path=str(artifacts / "statement-household-home-phone.png"), full_page=True)
    page.click("a[href='/household/statement']")
    page.wait_for_url(re.compile(r".*/household/statement"))
    assert page.locator(".statement-line[data-kind=goods_accepted]").count() > 0
    assert page.locator(".statement-line[data-kind=payout]").count() > 0  # the demo paid part in cash
    assert _fits(page)
    page.screenshot(path=str(artifacts / "statement-household-lines-phone.png"), full_page=True)
    context.close()


def test_a_team_prints_its_statements_and_pays_a_batch(browser, live_server, demo_logins, artifacts, tmp_path):
    """The team downloads every household's statement in one PDF, pays everything owed, and gets the bank file."""
    _village, login, password = demo_logins.teams[0]
    context = browser.new_context(viewport=PHONE, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    _staff_login(page, live_server, login, password, "/team/")
    assert page.locator("[data-figure=average-increase]").count() == 1
    page.goto(live_server + "/team/money")
    assert _fits(page)
    with page.expect_download() as download:
        page.click("a[href^='/team/money/statements.pdf']")
    pdf_path = tmp_path / "statements.pdf"
    download.value.save_as(pdf_path)
    assert len(PdfReader(pdf_path).pages) == 20  # a page for each of the village's 20 households
    page.select_option("#pay-all-method", "bank")
    page.click("form.pay-all-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/team/money/batches/\d+$"))
    assert _fits(page)
    page.screenshot(path=str(artifacts / "statement-team-batch-phone.png"), full_page=True)
    with page.expect_download() as download:
        page.click("a[href$='/bank.csv']")
    bank_file = tmp_path / "bank.csv"
    download.value.save_as(bank_file)
    assert bank_file.read_text(encoding="utf-8-sig").count("\n") >= 2
    page.goto(live_server + "/team/money")
    assert page.inner_text("[data-figure=total-owed]") == "¥0.00"
    context.close()


def test_the_county_reconciliation_balances_on_the_demo(browser, live_server, demo_logins, artifacts):
    """Every campaign row balances and the whole ledger does too."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    _staff_login(page, live_server, demo_logins.admin[0], demo_logins.admin[1], "/county/")
    assert page.locator("svg.bar-chart").count() >= 1
    page.goto(live_server + "/county/reconciliation")
    assert page.locator("[data-balanced=yes]").count() == 1
    assert page.locator(".unbalanced").count() == 0
    page.screenshot(path=str(artifacts / "statement-county-reconciliation.png"), full_page=True)
    context.close()
