"""A partner unit sees how often its packages were scanned, per delivery and per package; other units do not."""

from sqlalchemy import func, select

from courtyard.demo.base import UNIT_PASSWORD
from courtyard.extensions import db
from courtyard.models import Box, BoxScan, User
from tests.trace.demo import load_demo


def test_unit_sees_scans_of_its_packages(app, client):
    """After a buyer scans a box twice, does its unit see the count on the delivery list and detail pages,
    and another unit not even the delivery?"""
    load_demo(app)
    with app.app_context():
        box = db.session.scalar(select(Box).order_by(Box.id.desc()))
        code, delivery_id = box.trace_code, box.delivery_id
        login = db.session.scalar(select(User.login).where(User.partner_unit_id == box.delivery.unit_id))
        db.session.remove()
    anonymous = app.test_client()
    anonymous.get(f"/t/{code}")
    anonymous.get(f"/t/{code}")
    with app.app_context():
        total = db.session.scalar(select(func.sum(BoxScan.count)).join(Box).where(Box.delivery_id == delivery_id))
        other_login = db.session.scalar(select(User.login).where(User.role == "partner",
                                                                 User.partner_unit_id != box.delivery.unit_id).limit(1))
        db.session.remove()
    client.post("/login", data={"login": login, "password": UNIT_PASSWORD})
    detail = client.get(f"/partner/deliveries/{delivery_id}").get_data(as_text=True)
    assert code in detail
    assert f'<code>{code}</code></a></td><td class="num">2</td>' in detail  # this box: the two scans
    assert f"被扫码 {total} 次" in client.get("/partner/deliveries").get_data(as_text=True)
    client.post("/logout")
    client.post("/login", data={"login": other_login, "password": UNIT_PASSWORD})
    assert client.get(f"/partner/deliveries/{delivery_id}").status_code == 404
