"""A partner unit pledges through the API with its token and reads the pledge back."""

import requests
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import CampaignPackage, DeliveryAddress, Pledge, User
from courtyard.models.types import utcnow
from courtyard.services.identity.api_tokens import create_token
from tests.api.conftest import bearer
from tests.support.campaigns import make_buyer, make_campaign


def _buyer(app, make, **campaign):
    offer_campaign = make_campaign(app, around=utcnow(), price_fen=16800, **campaign)
    unit = make_buyer(app)
    return offer_campaign, unit, make.partner_user(unit)


def test_a_unit_creates_a_transfer_pledge_and_reads_it_back(app, client, make, token_for):
    """POST /pledges makes the pledge (201, held stock, a reference); GET returns the same pledge."""
    campaign, unit, user = _buyer(app, make)
    secret = token_for(user)
    response = client.post("/api/v1/pledges", headers=bearer(secret), json={
        "campaign_id": campaign.id, "method": "transfer",
        "lines": [{"offer_id": campaign.offer_ids[0], "address_id": unit.address_ids[0], "quantity": 3}]})
    assert response.status_code == 201, response.get_json()
    pledge = response.get_json()
    assert (pledge["state"], pledge["total_fen"], pledge["unit_id"]) == ("awaiting_transfer", 3 * 16800, unit.id)
    assert pledge["created_at"].endswith("Z") and pledge["reference"].startswith("CY")
    assert client.get(f"/api/v1/pledges/{pledge['id']}", headers=bearer(secret)).get_json() == pledge
    assert [p["id"] for p in client.get("/api/v1/pledges", headers=bearer(secret)).get_json()["data"]] == [pledge["id"]]
    with app.app_context():
        assert db.session.get(CampaignPackage, campaign.offer_ids[0]).sold == 3


def test_a_broken_rule_answers_422_on_the_field_and_saves_nothing(app, client, make, token_for):
    """Another unit's address is refused by the same rule as on the web form; no pledge is written."""
    campaign, _unit, user = _buyer(app, make)
    stranger = make_buyer(app)
    response = client.post("/api/v1/pledges", headers=bearer(token_for(user)), json={
        "campaign_id": campaign.id, "method": "transfer",
        "lines": [{"offer_id": campaign.offer_ids[0], "address_id": stranger.address_ids[0], "quantity": 1}]})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"lines": response.get_json()["error"]["message"]}
    with app.app_context():
        assert db.session.scalar(select(Pledge.id)) is None


def test_malformed_bodies_name_each_bad_field(client, make, token_for, app):
    """Wrong types and missing fields answer 422 with every bad field named; a non-object body is 400."""
    _campaign, _unit, user = _buyer(app, make)
    secret = token_for(user)
    response = client.post("/api/v1/pledges", headers=bearer(secret), json={
        "campaign_id": "1", "method": "cash", "lines": [{"offer_id": 1, "address_id": 1, "quantity": 0}]})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"campaign_id", "method", "lines[0]"}
    assert client.post("/api/v1/pledges", headers=bearer(secret), data="[1, 2]",
                       content_type="application/json").status_code == 400
    assert client.post("/api/v1/pledges", headers=bearer(secret), data="not json").status_code == 400


def test_only_a_partner_unit_may_pledge(client, make, token_for):
    """The county and work teams read; they cannot pledge (403)."""
    response = client.post("/api/v1/pledges", headers=bearer(token_for(make.admin())), json={})
    assert response.status_code == 403


def test_an_api_client_pledges_against_a_live_server(app, live_server):
    """Done-when: a real HTTP client with a token creates a pledge and reads it back (demo county)."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.role == "partner").order_by(User.id))
        _token, secret = create_token(user, "integration", utcnow())
        address_id = db.session.scalar(select(DeliveryAddress.id).where(DeliveryAddress.unit_id == user.partner_unit_id,
                                                                        DeliveryAddress.active.is_(True)))
        db.session.remove()
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {secret}"
    campaigns = session.get(f"{live_server}/api/v1/campaigns?per_page=100", timeout=10).json()["data"]
    for summary in (c for c in campaigns if c["state"] == "open"):
        campaign = session.get(f"{live_server}/api/v1/campaigns/{summary['id']}", timeout=10).json()
        offer = next((o for o in campaign["offers"] if o["remaining"] > 0), None)
        if offer:
            break
    else:
        raise AssertionError("the demo county has no open campaign with packages left")
    created = session.post(f"{live_server}/api/v1/pledges", timeout=10, json={
        "campaign_id": campaign["id"], "method": "transfer",
        "lines": [{"offer_id": offer["id"], "address_id": address_id, "quantity": 1}]})
    assert created.status_code == 201, created.text
    read_back = session.get(f"{live_server}/api/v1/pledges/{created.json()['id']}", timeout=10)
    assert read_back.status_code == 200 and read_back.json()["reference"] == created.json()["reference"]


def test_the_printed_demo_api_token_reads_the_units_pledges(app, client):
    """``flask courtyard demo`` prints a token; it reads the first unit's pledges from the demo data."""
    from courtyard.demo.base import build_demo, build_demo_campaigns

    with app.app_context():
        logins = build_demo()
        build_demo_campaigns(utcnow())
        db.session.remove()
    login, secret = logins.api_token
    me = client.get("/api/v1/me", headers=bearer(secret)).get_json()
    assert me["login"] == login and me["role"] == "partner"
    assert client.get("/api/v1/pledges", headers=bearer(secret)).get_json()["total"] >= 1
