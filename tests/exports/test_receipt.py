"""The pledge receipt: built from the models as data, rendered as a Chinese A4 PDF that reads back."""

import io
from datetime import datetime, timedelta, timezone

import pytest
from pypdf import PdfReader

from courtyard.errors import DomainError
from courtyard.exports import fonts
from courtyard.exports.receipt import receipt_data, render_receipt_pdf
from courtyard.extensions import db
from courtyard.models import (
    Campaign, CampaignPackage, DeliveryAddress, Invoice, Package, PackageItem, PartnerUnit, Pledge, PledgeLine,
    ProduceItem,
)

NOW = datetime(2026, 11, 23, 2, 30, tzinfo=timezone.utc)  # 10:30 in Shanghai


def build_pledge(state="paid", method="card", **fields):
    """A pledge of 2 × ¥168.00 egg boxes to one canteen (call inside an app context)."""
    egg = ProduceItem(name="土鸡蛋", category="poultry", unit="枚", price_fen=150)
    package = Package(name="王家村土鸡蛋礼盒", price_fen=16800, lines=[PackageItem(item=egg, quantity=30)])
    campaign = Campaign(title="冬季村货优选", mode="all_or_nothing", goal_kind="packages", goal_value=100,
                        opens_at=NOW - timedelta(days=10), closes_at=NOW + timedelta(days=10), state="open")
    offer = CampaignPackage(campaign=campaign, package=package, price_fen=16800, cap=200, sold=2)
    unit = PartnerUnit(name="示范县财政局", kind="government", contact_email="caizheng@example.com")
    db.session.add_all([egg, package, campaign, offer, unit])
    db.session.flush()
    address = DeliveryAddress(unit_id=unit.id, label="机关第一食堂", address="示范县人民路 1 号")
    db.session.add(address)
    db.session.flush()
    pledge = Pledge(campaign_id=campaign.id, unit_id=unit.id, method=method, state=state, total_fen=33600,
                    reference="CY-7K3M9Q", paid_at=NOW - timedelta(days=1) if state == "paid" else None, **fields)
    db.session.add(pledge)
    db.session.flush()
    db.session.add(PledgeLine(pledge_id=pledge.id, offer_id=offer.id, address_id=address.id, quantity=2,
                              unit_price_fen=16800))
    db.session.commit()
    return pledge


def pdf_text(pdf_bytes):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)


def test_paid_pledge_receipt_reads_back(app):
    """Does a paid pledge's receipt PDF carry the unit, reference, total in ¥ and the amount in capitals?"""
    with app.app_context():
        pledge = build_pledge()
        db.session.add(Invoice(pledge=pledge, unit_id=pledge.unit_id, state="requested", title="示范县财政局",
                               tax_number="11230000MB1234567X", amount_fen=33600, requested_at=NOW))
        db.session.commit()
        data = receipt_data(pledge, NOW)
    pdf = render_receipt_pdf(data)

    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for expected in ("收据", "示范县财政局", "CY-7K3M9Q", "冬季村货优选", "王家村土鸡蛋礼盒", "机关第一食堂",
                     "¥168.00", "¥336.00", "叁佰叁拾陆元整", "银行卡", "11230000MB1234567X", "本收据由庭院平台生成"):
        assert expected in text, expected
    assert "预授权" not in text


def test_receipt_data_is_plain_and_in_shanghai_time(app):
    """Is the data built before rendering: lines, totals, capitals, method label and local times?"""
    with app.app_context():
        data = receipt_data(build_pledge(method="transfer"), NOW)

    assert data.number == "CY-7K3M9Q" and data.unit == "示范县财政局" and data.county == app.config["COUNTY_NAME"]
    [line] = data.lines
    assert (line.package, line.address, line.quantity, line.unit_price_fen, line.amount_fen) == \
        ("王家村土鸡蛋礼盒", "机关第一食堂", 2, 16800, 33600)
    assert (data.total_fen, data.refunded_fen, data.received_fen) == (33600, 0, 33600)
    assert data.received_in_capitals == "叁佰叁拾陆元整"
    assert data.payment_method == "对公转账"
    assert data.issued_at.strftime("%Y-%m-%d %H:%M %Z") == "2026-11-23 10:30 CST"
    assert data.paid_at.strftime("%Y-%m-%d") == "2026-11-22"
    assert data.invoice_title == "" and data.invoice_tax_number == ""


def test_refunds_are_shown_and_capitals_are_of_what_was_kept(app):
    """After a partial refund, does the receipt show the refund and write the kept amount in capitals?"""
    with app.app_context():
        data = receipt_data(build_pledge(refunded_fen=16800), NOW)
    text = pdf_text(render_receipt_pdf(data))

    assert data.received_fen == 16800
    assert "-¥168.00" in text and "壹佰陆拾捌元整" in text


def test_authorised_pledge_receipt_is_marked_preauthorised(app):
    """Is a card hold's receipt marked 预授权, with no payment date?"""
    with app.app_context():
        data = receipt_data(build_pledge(state="authorized"), NOW)
    text = pdf_text(render_receipt_pdf(data))

    assert data.preauthorised and data.paid_at is None
    assert "收据（预授权）" in text and "¥336.00" in text and "叁佰叁拾陆元整" in text


@pytest.mark.parametrize("state", ["payment_pending", "awaiting_transfer", "cancelled", "expired", "released", "declined"])
def test_no_receipt_for_a_pledge_that_was_not_paid(app, state):
    """Is a receipt refused for a pledge that is neither paid nor authorised?"""
    with app.app_context():
        pledge = build_pledge(state=state)
        with pytest.raises(DomainError):
            receipt_data(pledge, NOW)


def test_missing_font_names_the_package_to_install(tmp_path):
    """Without a CJK font, is the error a clear instruction rather than a crash deep in fpdf?"""
    with pytest.raises(fonts.CJKFontMissing, match="install fonts-wqy-microhei"):
        fonts.find_cjk_font(candidates=((str(tmp_path / "none.ttc"), 0),))
