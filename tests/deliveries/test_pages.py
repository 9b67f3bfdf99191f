"""The delivery pages: a whole round through the county, team and unit pages, who may see what, and bad input."""

import io
from datetime import timedelta

import time_machine
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import AllocationLine, AllocationRun, Delivery, DeliveryComplaint, DeliveryRound, Pledge
from tests.deliveries.rounds import planned_round
from tests.support.factories import login, pin_login


def _round(app, make):
    r = planned_round(app, make)
    r.admin, r.team = make.admin(), make.team_member(r.village)
    r.partner = make.partner_user(type("U", (), {"id": r.unit_id})())
    with app.app_context():
        r.cutoff = db.session.get(DeliveryRound, r.round_ids[0]).cutoff_at
    return r


def _lines(app, round_id):
    with app.app_context():
        return [(l.household_id, l.item_id, l.units) for l in db.session.scalars(
            select(AllocationLine).join(AllocationRun).where(AllocationRun.round_id == round_id, AllocationLine.units > 0))]


def _photo():
    data = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(data, "PNG")
    data.seek(0)
    return data


def test_a_round_runs_through_the_pages(app, make, client):
    """County allocates, team prints the pick list and records one rejection, finishes; county packs, ships,
    delivers; the unit sees contents with masked origins, confirms; a problem is reported with a photo and refunded."""
    r = _round(app, make)
    round_id = r.round_ids[0]
    with time_machine.travel(r.cutoff + timedelta(hours=1), tick=False):
        login(client, r.admin)
        page = client.get(f"/county/campaigns/{r.campaign_id}/offers/{r.offer_id}/plan")
        assert page.status_code == 200 and f'data-round="{round_id}"' in page.get_data(as_text=True)
        assert client.post(f"/county/rounds/{round_id}/allocate").status_code == 302
        client.post("/logout")
        household = r.households[0]
        pin_login(client, household)
        assert "统一分拣点" in client.get("/household/").get_data(as_text=True)
        client.post("/logout")

        login(client, r.team)
        assert f"/team/collection/{round_id}" in client.get("/team/collection").get_data(as_text=True)
        pdf = client.get(f"/team/collection/{round_id}/pick-list.pdf")
        assert pdf.mimetype == "application/pdf"
        text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
        assert "收货单" in text and "签字" in text
        household_id, item_id, units = _lines(app, round_id)[0]
        record = f"/team/collection/{round_id}/record"
        bad = client.post(record, data={"household": household_id, "item": item_id, "accepted": units - 1, "rejected": 1})
        assert bad.status_code == 422 and "field-error" in bad.get_data(as_text=True)
        assert client.post(record, data={"household": household_id, "item": item_id, "accepted": units - 1,
                                         "rejected": 1, "reason": "菜叶发黄"}).status_code == 302
        for other, other_item, other_units in _lines(app, round_id):  # after the shortfall moved to others
            if other != household_id:
                assert client.post(record, data={"household": other, "item": other_item, "accepted": other_units,
                                                 "rejected": 0}).status_code == 302
        page = client.get(f"/team/collection/{round_id}").get_data(as_text=True)
        assert "菜叶发黄" in page
        assert client.post(f"/team/collection/{round_id}/finish").status_code == 302
        client.post("/logout")

        login(client, r.admin)
        assert client.post(f"/county/rounds/{round_id}/pack").status_code == 302
        with app.app_context():
            delivery_id = db.session.scalar(select(Delivery.id))
        packing_list = client.get(f"/county/deliveries/{delivery_id}/packing-list").get_data(as_text=True)
        assert packing_list.count("<code>") == 3
        client.post(f"/county/deliveries/{delivery_id}/advance")
        client.post(f"/county/deliveries/{delivery_id}/advance")
        client.post("/logout")

        login(client, r.partner)
        page = client.get(f"/partner/deliveries/{delivery_id}").get_data(as_text=True)
        assert "王**英" in page and "王秀0英" not in page
        assert client.post(f"/partner/deliveries/{delivery_id}/confirm").status_code == 302
        response = client.post(f"/partner/deliveries/{delivery_id}", data={"description": "一袋压坏了",
                                                                            "photo": (_photo(), "bad.png")},
                               content_type="multipart/form-data")
        assert response.status_code == 302
        client.post("/logout")

        login(client, r.admin)
        assert "一袋压坏了" in client.get("/county/deliveries").get_data(as_text=True)
        with app.app_context():
            complaint = db.session.scalar(select(DeliveryComplaint))
            assert complaint.photo
        bad = client.post(f"/county/complaints/{complaint.id}/resolve", data={"resolution": "note", "note": ""})
        assert bad.status_code == 422
        assert client.post(f"/county/complaints/{complaint.id}/resolve",
                           data={"resolution": "refund", "amount": "15", "note": "压坏一袋"}).status_code == 302
        with app.app_context():
            assert db.session.scalar(select(Pledge.refunded_fen)) == 1500
            assert db.session.get(Delivery, delivery_id).state == "confirmed"
        page = client.get("/county/deliveries").get_data(as_text=True)
        assert 'class="stat-number on-time-rate">100%' in page


def test_others_cannot_see_a_units_delivery_or_a_villages_collection(app, make, client):
    """Does another unit get 404 for a delivery, and another village's team 404 for a collection day?"""
    r = _round(app, make)
    round_id = r.round_ids[0]
    with app.app_context():
        from courtyard.services.deliveries import delivery_rounds
        delivery_rounds.allocate_round(None, db.session.get(DeliveryRound, round_id), r.cutoff)
        delivery_id = db.session.scalar(select(Delivery.id))
    stranger_unit = make.partner_user(make.unit())
    login(client, stranger_unit)
    assert client.get(f"/partner/deliveries/{delivery_id}").status_code == 404
    assert client.post(f"/partner/deliveries/{delivery_id}/confirm").status_code == 404
    assert f"/partner/deliveries/{delivery_id}" not in client.get("/partner/deliveries").get_data(as_text=True)
    client.post("/logout")
    other_team = make.team_member(make.village())
    login(client, other_team)
    assert client.get(f"/team/collection/{round_id}").status_code == 404
    assert client.get(f"/team/collection/{round_id}/pick-list.pdf").status_code == 404
    assert client.get("/county/deliveries").status_code == 403
    client.post("/logout")
    login(client, r.partner)
    assert client.get(f"/partner/deliveries/{delivery_id}").status_code == 200
    assert client.get(f"/county/deliveries/{delivery_id}").status_code == 403


def test_a_bad_plan_is_shown_at_its_field(app, make, client):
    """Are unreadable dates and a window with no rhythm refused with a message, not a 500?"""
    r = _round(app, make)
    login(client, r.admin)
    url = f"/county/campaigns/{r.campaign_id}/offers/{r.offer_id}/plan"
    response = client.post(url, data={"dates": "next tuesday", "cutoff_days": 3, "delivery_hour": 18})
    assert response.status_code == 422 and "2026-10-10" in response.get_data(as_text=True)
    response = client.post(url, data={"dates": "", "window_start": "2027-07-01", "cutoff_days": 3, "delivery_hour": 18})
    assert response.status_code == 422 and "field-error" in response.get_data(as_text=True)
