"""The county runs a campaign; partner units pledge through the pages; the public sees progress."""

from courtyard.extensions import db
from courtyard.models import Campaign, Pledge
from courtyard.models.types import utcnow
from tests.support.campaigns import make_buyer, make_campaign
from tests.support.factories import login


def _county(client, make):
    login(client, make.admin())


def test_county_creates_and_opens_a_campaign(app, client, make):
    """Can the county create a campaign with packages priced in yuan, times in Beijing time, then open it?"""
    from courtyard.models import Package

    with app.app_context():
        package = Package(name="年货", price_fen=39800)
        db.session.add(package)
        db.session.commit()
        package_id = package.id
    _county(client, make)
    response = client.post("/county/campaigns/new", data={
        "title": "2026 囤年货", "mode": "all_or_nothing", "goal_kind": "packages", "goal_value": "60",
        "opens_at": "2026-01-01T08:00", "closes_at": "2030-01-20T20:00", "transfer_grace_days": "7",
        "offers-0-package_id": str(package_id), "offers-0-price": "398", "offers-0-cap": "80"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        campaign = db.session.query(Campaign).one()
        assert campaign.state == "draft" and campaign.offers[0].price_fen == 39800
        assert campaign.opens_at.hour == 0 and campaign.closes_at.hour == 12  # 08:00 and 20:00 in Shanghai
        campaign_id = campaign.id
    client.post(f"/county/campaigns/{campaign_id}/open")
    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert "2026 囤年货" in page and "¥398.00" in page and "<progress" in page


def test_bad_campaign_input_is_explained(app, client, make):
    """Do a closing time before the opening and no packages get messages, saving nothing?"""
    _county(client, make)
    response = client.post("/county/campaigns/new", data={
        "title": "错", "mode": "flexible", "goal_kind": "packages", "goal_value": "5",
        "opens_at": "2026-02-01T08:00", "closes_at": "2026-01-01T08:00"})
    assert response.status_code == 422 and 'id="closes_at-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Campaign).count() == 0


def test_draft_campaign_is_not_public(app, client):
    """Is a draft campaign hidden from the public?"""
    campaign = make_campaign(app, around=utcnow(), state="draft")
    assert client.get(f"/campaigns/{campaign.id}").status_code == 404


def test_unit_pledges_by_transfer_and_county_records_it(app, client, make):
    """Can a unit pledge two packages by transfer, see the reference, and be marked paid by the county?"""
    campaign = make_campaign(app, around=utcnow(), cap=10, price_fen=16800)
    buyer = make_buyer(app)
    user = make.partner_user(buyer)
    login(client, user)
    response = client.post(f"/partner/campaigns/{campaign.id}/pledge", data={
        "lines-0-offer_id": campaign.offer_ids[0], "lines-0-address_id": buyer.address_ids[0], "lines-0-quantity": "2",
        "method": "transfer"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    with app.app_context():
        pledge = db.session.query(Pledge).one()
        reference, pledge_id = pledge.reference, pledge.id
    assert reference in page and "¥336.00" in page
    county = app.test_client()
    login(county, make.admin())
    county.post(f"/county/pledges/{pledge_id}", data={"action": "transfer", "transfer-amount": "336",
                                                       "transfer-bank_reference": "ICBC-0001", "transfer-received_on": "2026-11-20"})
    with app.app_context():
        assert db.session.get(Pledge, pledge_id).state == "paid"
    page = client.get("/partner/").get_data(as_text=True)
    assert "¥336.00" in page  # spent this year


def test_pledge_form_explains_sold_out_and_budget(app, client, make):
    """Does the pledge page say how many are left, and refuse a pledge over budget with the amounts?"""
    campaign = make_campaign(app, around=utcnow(), cap=3, price_fen=10000)
    buyer = make_buyer(app, budget_fen=15000)
    login(client, make.partner_user(buyer))
    line = {"lines-0-offer_id": campaign.offer_ids[0], "lines-0-address_id": buyer.address_ids[0], "method": "transfer"}
    page = client.post(f"/partner/campaigns/{campaign.id}/pledge", data=dict(line, **{"lines-0-quantity": "5"})).get_data(as_text=True)
    assert "3" in page and "剩" in page
    page = client.post(f"/partner/campaigns/{campaign.id}/pledge", data=dict(line, **{"lines-0-quantity": "2"})).get_data(as_text=True)
    assert "¥150.00" in page and "¥200.00" in page


def test_unit_cannot_see_another_units_pledge(app, client, make):
    """Does a unit get 404 for another unit's pledge, its receipt and its actions?"""
    campaign = make_campaign(app, around=utcnow())
    mine, theirs = make_buyer(app), make_buyer(app)
    from courtyard.services.pledges import pledges
    from courtyard.services.pledges.pledges import LineInput

    with app.app_context():
        other = pledges.create_pledge(None, theirs.id, campaign.id, [LineInput(campaign.offer_ids[0], theirs.address_ids[0], 1)],
                                      "transfer", utcnow())
        other_id = other.id
    login(client, make.partner_user(mine))
    for path in (f"/partner/pledges/{other_id}", f"/partner/pledges/{other_id}/receipt.pdf"):
        assert client.get(path).status_code == 404
    for path in (f"/partner/pledges/{other_id}/cancel", f"/partner/pledges/{other_id}/invoice", f"/partner/pledges/{other_id}/pay"):
        assert client.post(path, data={}).status_code == 404


def _paid_transfer_pledge(app, make, quantity=2):
    from courtyard.services.pledges import pledges
    from courtyard.services.pledges.pledges import LineInput

    campaign = make_campaign(app, around=utcnow(), price_fen=16800)
    buyer = make_buyer(app)
    with app.app_context():
        pledge = pledges.create_pledge(None, buyer.id, campaign.id, [LineInput(campaign.offer_ids[0], buyer.address_ids[0], quantity)],
                                       "transfer", utcnow())
        pledges.record_transfer(None, pledge, pledge.total_fen, "B1", utcnow(), utcnow())
        return buyer, pledge.id, pledge.reference


def test_receipt_invoice_and_partial_refund(app, client, make):
    """Can a unit download its Chinese receipt and ask for an invoice, the county mark it issued and refund part?"""
    import io

    from pypdf import PdfReader

    buyer, pledge_id, reference = _paid_transfer_pledge(app, make)
    login(client, make.partner_user(buyer))
    response = client.get(f"/partner/pledges/{pledge_id}/receipt.pdf")
    assert response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert reference in text and "336.00" in text
    page = client.post(f"/partner/pledges/{pledge_id}/invoice", data={"title": "县财政局", "tax_number": "bad"}).get_data(as_text=True)
    assert 'id="tax_number-error"' in page
    client.post(f"/partner/pledges/{pledge_id}/invoice", data={"title": "县财政局", "tax_number": "11230000MB1234567X"})
    county = app.test_client()
    login(county, make.admin())
    county.post(f"/county/pledges/{pledge_id}", data={"action": "invoice"})
    page = county.post(f"/county/pledges/{pledge_id}", data={"action": "refund", "refund-amount": "400", "refund-reason": "多退"})
    assert page.status_code == 422 and "¥336.00" in page.get_data(as_text=True)
    county.post(f"/county/pledges/{pledge_id}", data={"action": "refund", "refund-amount": "50", "refund-reason": "一份菜坏了"})
    with app.app_context():
        pledge = db.session.get(Pledge, pledge_id)
        assert pledge.invoice_issued_at is not None and pledge.refunded_fen == 5000


def test_unit_cancels_before_close(app, client, make):
    """Can a unit cancel a pledge waiting for its transfer, freeing the packages?"""
    from courtyard.models import CampaignPackage
    from courtyard.services.pledges import pledges
    from courtyard.services.pledges.pledges import LineInput

    campaign = make_campaign(app, around=utcnow(), cap=5)
    buyer = make_buyer(app)
    with app.app_context():
        pledge = pledges.create_pledge(None, buyer.id, campaign.id, [LineInput(campaign.offer_ids[0], buyer.address_ids[0], 3)],
                                       "transfer", utcnow())
        pledge_id = pledge.id
    login(client, make.partner_user(buyer))
    client.post(f"/partner/pledges/{pledge_id}/cancel")
    with app.app_context():
        assert db.session.get(Pledge, pledge_id).state == "cancelled"
        assert db.session.get(CampaignPackage, campaign.offer_ids[0]).sold == 0
