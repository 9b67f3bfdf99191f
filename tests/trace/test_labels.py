"""Package labels: every packed box gets a QR code to its own trace page, on A4 sheets and thermal labels."""

from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Box, DeliveryRound
from tests.support.demo import load_demo
from tests.support.factories import login
from tests.support.qr import qr_texts


def _login_county(client, make):
    login(client, make.admin())


def _packed_round(app):
    with app.app_context():
        round_id = db.session.scalar(select(DeliveryRound.id).where(DeliveryRound.state == "packed"))
        db.session.remove()
    return round_id


def test_a4_sheet_has_one_readable_qr_per_box(app, client, make):
    """Does the round's A4 label sheet carry a QR for every box that decodes to that box's trace page?"""
    codes = load_demo(app)
    _login_county(client, make)
    response = client.get(f"/county/rounds/{_packed_round(app)}/labels-a4.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert sorted(qr_texts(response.data)) == sorted(f"{base}/t/{code}" for code in codes)
    text = PdfReader(BytesIO(response.data)).pages[0].extract_text()
    assert "夏季小菜园周配" in text and "李家村" in text


def test_thermal_labels_are_60_by_40_mm_one_per_box(app, client, make):
    """Is the thermal PDF one 60 x 40 mm page per box, each with its own QR code?"""
    codes = load_demo(app)
    _login_county(client, make)
    response = client.get(f"/county/rounds/{_packed_round(app)}/labels-thermal.pdf")
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == len(codes)
    width, height = (float(v) * 25.4 / 72 for v in reader.pages[0].mediabox.upper_right)
    assert round(width) == 60 and round(height) == 40
    assert qr_texts(response.data)[0].endswith(f"/t/{codes[0]}")


def test_labels_are_the_countys_alone(app, client, make):
    """Does anyone but the county get no labels (login, 403), and an unpacked round none at all?"""
    load_demo(app)
    round_id = _packed_round(app)
    assert client.get(f"/county/rounds/{round_id}/labels-a4.pdf").status_code in (302, 401)
    login(client, make.partner_user(make.unit()))
    assert client.get(f"/county/rounds/{round_id}/labels-a4.pdf").status_code == 403
    with app.app_context():
        delivery_id = db.session.scalar(select(Box.delivery_id))
        db.session.remove()
    assert client.get(f"/county/deliveries/{delivery_id}/labels-thermal.pdf").status_code == 403
    assert client.get(f"/partner/deliveries/{delivery_id}").status_code == 404  # not this unit's either
