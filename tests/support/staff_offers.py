"""Building a unit with a staff roll and an open staff offer, for the staff-offer tests."""

from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import NoticeDelivery, PartnerUnit, StaffMember
from courtyard.services.staff_offers import offers, roll
from tests.support.campaigns import NOW, make_buyer, make_campaign


def staff_phone(n):
    return f"1391000{n:04d}"


def make_staff_offer(app, *, staff=3, cap=50, price_fen=16800, packages=2, allowance_fen=50_000, per_person=1,
                     around=NOW, budget_fen=10_000_000, points=2, limit_per_address=None, method="transfer",
                     first_phone=0):
    """A campaign around ``around``, a unit with ``points`` addresses and ``staff`` people, and its open offer."""
    campaign = make_campaign(app, cap=cap, price_fen=price_fen, packages=packages, around=around,
                             limit_per_address=limit_per_address)
    buyer = make_buyer(app, budget_fen=budget_fen, addresses=points)
    with app.app_context():
        unit = db.session.get(PartnerUnit, buyer.id)
        people = "\n".join(f"职工{n} {staff_phone(first_phone + n)}" for n in range(staff))
        roll.add_staff(None, unit, people, around)
        offer = offers.open_offer(None, unit, campaign.id, campaign.offer_ids, buyer.address_ids, allowance_fen,
                                  per_person, around + timedelta(days=5), method, around)
        db.session.commit()
        members = db.session.query(StaffMember).filter_by(unit_id=unit.id).order_by(StaffMember.id).all()
        return SimpleNamespace(id=offer.id, unit_id=unit.id, campaign_id=campaign.id, offer_ids=campaign.offer_ids,
                               address_ids=buyer.address_ids, member_ids=[m.id for m in members],
                               user_ids=[m.user_id for m in members], phones=[m.phone for m in members],
                               deadline=offer.deadline_at, now=around)


def in_english(client):
    """Pages in English for this client (the default is Chinese)."""
    with client.session_transaction() as session:
        session["lang"] = "en"


def staff_sign_in(app, client, phone):
    """Sign a staff member in through the pages, reading the queued text's code; pages in English."""
    in_english(client)
    response = client.post("/staff/sign-in", data={"phone": phone})
    assert response.status_code == 302 and "/staff/sign-in/code" in response.headers["Location"]
    with app.app_context():
        code = db.session.scalars(select(NoticeDelivery).order_by(NoticeDelivery.id.desc())).first().params["code"]
    response = client.post(f"/staff/sign-in/code?phone={phone}", data={"phone": phone, "code": code})
    assert response.status_code == 302
    return response
