"""A teacher of 县第一中学 opens the shared link on a phone, signs in with the text code, chooses, changes, sees the order."""

import re

import pytest

from courtyard.devservices.sms_sink import read_texts
from courtyard.extensions import db
from courtyard.models import StaffOffer
from courtyard.models.types import utcnow
from courtyard.demo.staff_offer import TEACHERS, build_demo_staff_offer
from courtyard.services.staff_offers.code_sender import send_codes
from tests.support.browser_pages import PHONE, new_page

pytestmark = pytest.mark.browser


def test_a_teacher_signs_in_by_text_code_chooses_and_changes_on_a_phone(app, browser, live_server, sms_sink, artifacts):
    """Link → text code (from the SMS sink) → choose → change → the order shows the new choice, all at 390 px."""
    with app.app_context():
        build_demo_staff_offer(utcnow())
        token = db.session.query(StaffOffer.token).scalar()
        db.session.remove()
    name, phone = TEACHERS[4]  # has not chosen yet
    context, page = new_page(browser, PHONE)
    page.goto(f"{live_server}/staff/join/{token}")
    page.fill("#phone", phone)
    page.click("main form button[type=submit]")
    assert "验证码短信正在发送" in page.inner_text("main")
    with app.app_context():
        assert send_codes(app.config, utcnow()).sent == 1  # the fast sender's round (`send-codes-watch`)
    [text] = read_texts(sms_sink.sink.dir)
    assert text["PhoneNumbers"] == phone
    code = re.search(r"验证码是(\d{6})", text["Content"]).group(1)
    page.fill("#code", code)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/offers/\d+$"))
    assert "县第一中学为每人支付最多 ¥400.00" in page.inner_text("main")
    page.fill("#quantities-0", "1")
    page.check("#address-0")
    page.click("main form button[type=submit]")
    assert "您的选择已保存" in page.inner_text("body")
    assert "囤年货套餐 × 1" in page.inner_text("#my-order")
    page.fill("#quantities-0", "0")
    page.fill("#quantities-1", "1")
    page.check("#address-1")
    page.click("main form button[type=submit]")
    order = page.inner_text("#my-order")
    assert "囤秋菜套餐 × 1" in order and "工会活动室" in order and "囤年货套餐" not in order
    page.goto(f"{live_server}/staff/")
    assert "囤秋菜套餐 × 1" in page.inner_text("main") and name not in page.inner_text("nav")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "staff-choice-phone.png"), full_page=True)
    context.close()
