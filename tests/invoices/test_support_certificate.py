"""The annual 消费帮扶 certificate: what a unit bought in a year, from which villages, how many households it helped
earn how much — as a Chinese PDF the unit downloads for itself (and the county for any unit)."""

import io
from types import SimpleNamespace

from pypdf import PdfReader
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.text.formatting import fen
from courtyard.models import Box, CollectionRecord, Delivery, PartnerUnit, Pledge
from courtyard.localtime import LOCAL_ZONE
from courtyard.services.money.support_certificate import certificate_data
from tests.support.ladder import Ladder
from tests.support.factories import login


def _expected(unit_id, year):
    """The figures worked out by walking the unit's pledges and boxes one by one."""
    bought, paid, earned, households, villages = {}, 0, 0, set(), {}
    for pledge in db.session.scalars(select(Pledge).where(Pledge.unit_id == unit_id, Pledge.state == "paid")):
        if pledge.paid_at.astimezone(LOCAL_ZONE).year == year:
            paid += pledge.total_fen - pledge.refunded_fen
            for line in pledge.lines:
                bought[line.offer.package.name] = bought.get(line.offer.package.name, 0) + line.quantity
    for box in db.session.scalars(select(Box).join(Delivery).where(Delivery.unit_id == unit_id)):
        if box.packed_at.astimezone(LOCAL_ZONE).year == year:
            for batch in box.batches:
                earned += batch.units * db.session.get(CollectionRecord, batch.record_id).unit_price_fen
                households.add(batch.household_id)
                villages.setdefault(batch.household.village.name, set()).add(batch.household_id)
    return bought, paid, earned, households, villages


def test_the_certificate_counts_what_the_unit_bought_and_the_households_it_helped(app, client, make):
    """Do the certificate's figures equal those worked out line by line, and does the unit's PDF say them in Chinese?"""
    r = Ladder(app, make).packed()
    with app.app_context():
        pledge = db.session.scalar(select(Pledge).where(Pledge.unit_id == r.unit_id))
        year = pledge.paid_at.astimezone(LOCAL_ZONE).year
        unit = db.session.get(PartnerUnit, r.unit_id)
        data = certificate_data(unit, year, "示范县", pledge.paid_at)
        bought, paid, earned, households, villages = _expected(r.unit_id, year)
        unit_name = unit.name
    assert {b.package: b.quantity for b in data.bought} == bought and data.paid_fen == paid > 0
    assert data.households == len(households) and data.earned_fen == earned
    assert {v.village: v.households for v in data.villages} == {name: len(ids) for name, ids in villages.items()}

    login(client, make.partner_user(SimpleNamespace(id=r.unit_id)))
    response = client.get(f"/partner/units/{r.unit_id}/certificate/{year}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("消费帮扶证明", unit_name, fen(paid), r.village.name, *bought):
        assert expected in text, expected
    assert households and f"{len(households)}户" in text and fen(earned) in text


def test_no_certificate_for_a_year_without_purchases_and_none_for_another_unit(app, client, make):
    """Is a year with nothing bought answered with a message, and another unit's certificate not found?"""
    r = Ladder(app, make).packed()
    login(client, make.partner_user(SimpleNamespace(id=r.unit_id)))
    empty = client.get(f"/partner/units/{r.unit_id}/certificate/2001.pdf", follow_redirects=True)
    assert empty.status_code == 200 and "2001" in empty.get_data(as_text=True)
    other = make.unit()
    assert client.get(f"/partner/units/{other.id}/certificate/2026.pdf").status_code == 404
    county = app.test_client()
    login(county, make.admin())
    with app.app_context():
        year = db.session.scalar(select(Pledge.paid_at).where(Pledge.unit_id == r.unit_id)).astimezone(LOCAL_ZONE).year
    assert county.get(f"/county/units/{r.unit_id}/certificate/{year}.pdf").mimetype == "application/pdf"
