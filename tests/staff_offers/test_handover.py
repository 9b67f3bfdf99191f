"""Boxes by person: a staff offer's boxes carry each person's name (masked on the label), a signed handover sheet
per delivery point, and the coordinator ticks each box on the phone page."""

from sqlalchemy import select

from courtyard.exports.shipping_labels import label_data
from courtyard.text.formatting import fen
from courtyard.extensions import db
from courtyard.models import Box, CollectionRecord, Delivery, PartnerUnit, Pledge, StaffBox, StaffChoice, StaffChoiceLine, StaffMember, StaffOffer
from courtyard.services.staff_offers import boxes, roll
from tests.support.ladder import Ladder
from tests.support.factories import login
from tests.support.staff_offers import staff_sign_in

NAMES = ("王晓红", "李建军", "张敏")


def _staff_pledge(app, make):
    """The packed delivery's pledge (3 packages) came from a staff offer where three people chose one each."""
    r = Ladder(app, make).packed()
    with app.app_context():
        delivery = db.session.get(Delivery, r.delivery_id)
        pledge = db.session.scalar(select(Pledge).where(Pledge.unit_id == delivery.unit_id))
        unit = db.session.get(PartnerUnit, delivery.unit_id)
        roll.add_staff(None, unit, "\n".join(f"{name} 1395555000{n}" for n, name in enumerate(NAMES)), r.now)
        offer = StaffOffer(unit_id=unit.id, campaign_id=pledge.campaign_id, allowance_fen=100_000, deadline_at=r.now,
                           state="converted", token="handover-test", pledge_id=pledge.id)
        db.session.add(offer)
        for member in db.session.scalars(select(StaffMember).where(StaffMember.unit_id == unit.id)):
            db.session.add(StaffChoice(offer=offer, member=member, address_id=delivery.address_id, lines=[
                StaffChoiceLine(campaign_package_id=r.offer_id, quantity=1, unit_price_fen=100)]))
        db.session.flush()
        assert boxes.assign_delivery(delivery) == 3  # what packing a round does for each delivery
        assert boxes.assign_delivery(delivery) == 0  # once
        db.session.commit()
    return r


def test_each_box_is_one_persons_with_the_name_masked_on_the_label(app, make, client):
    """Are the three boxes given to the three people, full names on the pack list, masked on the labels?"""
    r = _staff_pledge(app, make)
    with app.app_context():
        box_list = db.session.scalars(select(Box).order_by(Box.id)).all()
        people = boxes.names_by_box([b.id for b in box_list])
        assert sorted(people.values()) == sorted(NAMES)
        labels = label_data(box_list, "https://example.org", people)
        assert sorted(label.person for label in labels) == sorted(["王*红", "李*军", "张*"])
        assert all(name not in str(labels) for name in NAMES)
        assert db.session.query(StaffBox).count() == 3
    login(client, make.admin())
    pack_list = client.get(f"/county/deliveries/{r.delivery_id}/packing-list").get_data(as_text=True)
    assert all(name in pack_list for name in NAMES)


def test_the_coordinator_ticks_boxes_and_prints_the_signature_sheet(app, make, client):
    """The phone page lists each person; a tick marks the box handed over (once); the A4 sheet is a PDF."""
    r = _staff_pledge(app, make)
    with app.app_context():
        coordinator = make.partner_user(db.session.get(PartnerUnit, db.session.get(Delivery, r.delivery_id).unit_id))
        first = db.session.scalars(select(StaffBox).order_by(StaffBox.id)).first()
    login(client, coordinator)
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get(f"/partner/deliveries/{r.delivery_id}/handover").get_data(as_text=True)
    assert all(name in page for name in NAMES) and "3 of 3 boxes still to hand over" in page
    client.post(f"/partner/staff-boxes/{first.id}/hand-over")
    assert "2 of 3 boxes still to hand over" in client.get(f"/partner/deliveries/{r.delivery_id}/handover").get_data(as_text=True)
    again = client.post(f"/partner/staff-boxes/{first.id}/hand-over", follow_redirects=True)
    assert "already handed over" in again.get_data(as_text=True)
    sheet = client.get(f"/partner/deliveries/{r.delivery_id}/handover.pdf")
    assert sheet.status_code == 200 and sheet.data.startswith(b"%PDF")


def test_a_staff_member_sees_their_box_its_trace_page_and_what_it_earned_households(app, make, client):
    """On the staff page: the box, when it arrives, its trace link, and "helped N households earn ¥X"."""
    r = _staff_pledge(app, make)
    with app.app_context():
        staff_box = db.session.scalars(select(StaffBox).order_by(StaffBox.id)).first()
        code, phone = staff_box.box.trace_code, staff_box.choice.member.phone
        households = {b.household_id for b in staff_box.box.batches}
        earned = sum(b.units * db.session.get(CollectionRecord, b.record_id).unit_price_fen for b in staff_box.box.batches)
    staff_sign_in(app, client, phone)
    page = client.get("/staff/").get_data(as_text=True)
    assert f"/t/{code}" in page and "Arrives by" in page
    assert f"Your package helped {len(households)} households earn {fen(earned)}." in page
    assert r.delivery_id
