"""The public trace page a buyer opens from a package's QR code."""

from sqlalchemy import func, select

from courtyard.extensions import db, limiter
from courtyard.models import Box, BoxScan, CollectionRecord
from courtyard.text.masking import mask_name
from tests.trace.demo import load_demo


def test_trace_page_tells_where_the_package_was_grown(app, client):
    """Does /t/<code> show, without login, the package, village and township, masked households, harvest date,
    inputs, quality check, campaign, thank-you line and what the households earned — and no tier?"""
    code = load_demo(app)[0]
    response = client.get(f"/t/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    with app.app_context():
        box = db.session.scalar(select(Box).where(Box.trace_code == code))
        batches = box.batches
        households = {b.household for b in batches}
        earned = sum(b.units * db.session.get(CollectionRecord, b.record_id).unit_price_fen for b in batches)
        package, campaign, unit = box.delivery.round.offer.package.name, box.delivery.round.campaign.title, box.delivery.unit.name
        for household in households:
            assert mask_name(household.head_name) in page
            assert household.head_name not in page
        township = next(iter(households)).village.township.name
        db.session.remove()
    assert package in page and campaign in page and unit in page and township in page
    assert f"帮助 {len(households)} 户农户增收" in page
    assert f"{earned / 100:,.2f}" in page
    assert "农家肥" in page or "有机肥" in page  # inputs from the batch records
    assert "合格" in page
    assert "HG-" in page  # the certificate number
    for tier_word in ("Poor household", "贫困户（", "监测户", "Monitored household"):
        assert tier_word not in page


def test_unknown_code_gets_a_friendly_page(app, client):
    """Does an unknown code get a friendly 404 page that links back home, not a bare error?"""
    response = client.get("/t/NOSUCHCODE22")
    assert response.status_code == 404
    assert 'href="/"' in response.get_data(as_text=True)
    assert "NOSUCHCODE22" in response.get_data(as_text=True)


def test_scans_are_counted_per_box_and_day(app, client):
    """Is each opening counted on its box, in one row per day, and unknown codes counted nowhere?"""
    code = load_demo(app)[0]
    with app.app_context():
        box_id = db.session.scalar(select(Box.id).where(Box.trace_code == code))
        before = db.session.scalar(select(func.coalesce(func.sum(BoxScan.count), 0)).where(BoxScan.box_id == box_id))
        rows_before = db.session.scalar(select(func.count(BoxScan.id)))
        db.session.remove()
    for _ in range(3):
        client.get(f"/t/{code}")
    client.get("/t/NOSUCHCODE22")
    with app.app_context():
        after = db.session.scalar(select(func.sum(BoxScan.count)).where(BoxScan.box_id == box_id))
        rows_after = db.session.scalar(select(func.count(BoxScan.id)))
        db.session.remove()
    assert after == before + 3
    assert rows_after == rows_before + 1  # today's bucket, whatever the number of scans


def test_scanning_is_rate_limited(app, client):
    """Are rapid scans from one address refused with 429 after the limit?"""
    limit = app.config["TRACE_RATE_LIMIT"]
    app.config["TRACE_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    try:
        codes = [client.get("/t/NOSUCHCODE22").status_code for _ in range(4)]
    finally:
        app.config["TRACE_RATE_LIMIT"] = limit
        limiter.reset()
    assert codes == [404, 404, 404, 429]
