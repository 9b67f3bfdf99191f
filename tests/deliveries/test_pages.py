"""The delivery pages: who may see what, and bad input (the whole round through the pages is a journey:
``tests/journeys/test_delivery_round.py``)."""

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import Delivery


def test_others_cannot_see_a_units_delivery_or_a_villages_collection(app, client, make, allocated, login_as):
    """Does another unit get 404 for a delivery, and another village's team 404 for a collection day?"""
    round_id = allocated.round_ids[0]
    with app.app_context():
        delivery_id = db.session.scalar(select(Delivery.id))
    login_as("partner", of=make.unit())  # a stranger unit
    assert client.get(f"/partner/deliveries/{delivery_id}").status_code == 404
    assert client.post(f"/partner/deliveries/{delivery_id}/confirm").status_code == 404
    assert f"/partner/deliveries/{delivery_id}" not in client.get("/partner/deliveries").get_data(as_text=True)
    client.post("/logout")
    login_as("team", of=make.village())  # another village's team
    assert client.get(f"/team/collection/{round_id}").status_code == 404
    assert client.get(f"/team/collection/{round_id}/pick-list.pdf").status_code == 404
    assert client.get("/county/deliveries").status_code == 403
    client.post("/logout")
    login_as("partner")
    assert client.get(f"/partner/deliveries/{delivery_id}").status_code == 200
    assert client.get(f"/county/deliveries/{delivery_id}").status_code == 403


def test_a_bad_plan_is_shown_at_its_field(client, planned, login_as):
    """Are unreadable dates and a window with no rhythm refused with a message, not a 500?"""
    login_as("county")
    url = f"/county/campaigns/{planned.campaign_id}/offers/{planned.offer_id}/plan"
    response = client.post(url, data={"dates": "next tuesday", "cutoff_days": 3, "delivery_hour": 18})
    assert response.status_code == 422 and "2026-10-10" in response.get_data(as_text=True)
    response = client.post(url, data={"dates": "", "window_start": "2027-07-01", "cutoff_days": 3, "delivery_hour": 18})
    assert response.status_code == 422 and "field-error" in response.get_data(as_text=True)


def test_the_unit_confirms_a_delivered_delivery_on_its_page(app, client, delivered, login_as):
    """Once delivered, does the buying unit's delivery page offer "we received it", and does confirming there
    mark the delivery confirmed and on time?"""
    login_as("partner")
    page = client.get(f"/partner/deliveries/{delivered.delivery_id}").get_data(as_text=True)
    assert f"/partner/deliveries/{delivered.delivery_id}/confirm" in page
    assert client.post(f"/partner/deliveries/{delivered.delivery_id}/confirm").status_code == 302
    with app.app_context():
        delivery = db.session.get(Delivery, delivered.delivery_id)
        assert delivery.state == "confirmed" and delivery.on_time
