"""The staff and coordinator pages through the web: sign in by text code, choose, change, see the roll."""

from datetime import timedelta

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import NoticeDelivery, PartnerUnit, StaffOffer, User
from courtyard.models.types import utcnow
from tests.support.factories import login
from tests.support.staff_offers import in_english, make_staff_offer, staff_sign_in


def test_a_staff_member_signs_in_by_code_chooses_changes_and_sees_the_order(app, client):
    """Text code → the offer page → a choice → a change → the order shows the new choice and the total."""
    w = make_staff_offer(app, around=utcnow(), price_fen=25_000, allowance_fen=40_000)
    in_english(client)
    response = client.post("/staff/sign-in/code", data={"phone": w.phones[0], "code": "000000"})
    assert response.status_code == 422 and "expired" in response.get_data(as_text=True)
    assert staff_sign_in(app, client, w.phones[0]).headers["Location"].endswith("/staff/")
    page = client.get(f"/staff/offers/{w.id}").get_data(as_text=True)
    assert "¥400.00" in page and "食堂0" in page
    response = client.post(f"/staff/offers/{w.id}", data={"quantities-0": "1", "quantities-1": "1",
                                                          "address": w.address_ids[0]})
    assert response.status_code == 422 and "the allowance is ¥400.00" in response.get_data(as_text=True)
    client.post(f"/staff/offers/{w.id}", data={"quantities-0": "1", "quantities-1": "0", "address": w.address_ids[0]})
    client.post(f"/staff/offers/{w.id}", data={"quantities-0": "0", "quantities-1": "1", "address": w.address_ids[1]})
    client.post("/staff/name", data={"name": "刘红梅"})  # gives her own name for the box
    order = client.get("/staff/").get_data(as_text=True)
    assert "Hello 刘红梅." in order
    assert "× 1" in order and "¥250.00" in order and "食堂1" in order
    assert "食堂0" not in order


def test_a_staff_member_cannot_open_another_units_offer_or_the_coordinator_pages(app, client):
    """404 on another unit's offer, on the coordinator's roll and on their unit's pledges."""
    mine = make_staff_offer(app, around=utcnow())
    other = make_staff_offer(app, around=utcnow(), first_phone=100)
    staff_sign_in(app, client, mine.phones[0])
    assert client.get(f"/staff/offers/{mine.id}").status_code == 200
    assert client.get(f"/staff/offers/{other.id}").status_code == 404
    for url in ("/partner/staff", f"/partner/staff/offers/{mine.id}", "/partner/", "/partner/pledges", "/county/"):
        assert client.get(url).status_code == 404, url


def test_the_coordinator_adds_staff_opens_an_offer_and_sees_who_has_chosen(app, client, make):
    """A pasted roll, an offer opened at the unit's page, and the live roll of who chose and who has not."""
    w = make_staff_offer(app, around=utcnow(), staff=2)
    with app.app_context():
        unit = db.session.get(PartnerUnit, w.unit_id)
        coordinator = make.partner_user(unit)
    login(client, coordinator)
    in_english(client)
    response = client.post("/partner/staff", data={"people": "王芳 13912349999\n赵磊 1391234"})
    assert response.status_code == 422 and "Line 2" in response.get_data(as_text=True)
    client.post("/partner/staff", data={"people": "王芳 13912349999"})
    assert "王芳" in client.get("/partner/staff").get_data(as_text=True)
    client_staff = app.test_client()
    staff_sign_in(app, client_staff, w.phones[0])
    client_staff.post(f"/staff/offers/{w.id}", data={"quantities-0": "1", "address": w.address_ids[0]})
    roll = client.get(f"/partner/staff/offers/{w.id}").get_data(as_text=True)
    assert "1 of 3 have chosen" in roll and "Not chosen yet" in roll and "/staff/join/" in roll
    assert 'src="data:image/svg+xml' in roll  # the link's QR code
    poster = client.get(f"/partner/staff/offers/{w.id}/poster.pdf")
    assert poster.status_code == 200 and poster.data.startswith(b"%PDF")
    response = client.post(f"/partner/staff/offers/{w.id}/remind")
    assert response.status_code == 302
    with app.app_context():
        kinds = db.session.scalars(select(NoticeDelivery.params)).all()
        assert sum(1 for p in kinds if "unit" in p) == 2  # the two who have not chosen
        assert db.session.scalar(select(User.role).where(User.login == "staff:13912349999")) == "staff"
    response = client.post(f"/partner/staff/offers/{w.id}/close")
    assert "Pledge CY" in client.get(f"/partner/staff/offers/{w.id}").get_data(as_text=True)


def test_an_offer_form_that_repeats_an_open_offer_says_so(app, client, make):
    """The new-offer page shows; a second open offer in the same campaign is refused; after closing, a new one opens."""
    w = make_staff_offer(app, around=utcnow(), staff=2)
    with app.app_context():
        coordinator = make.partner_user(db.session.get(PartnerUnit, w.unit_id))
    login(client, coordinator)
    in_english(client)
    assert client.get("/partner/staff/offers/new").status_code == 200
    response = client.post("/partner/staff/offers/new", data={
        "campaign": w.campaign_id, "packages": w.offer_ids, "points": w.address_ids, "allowance": "300",
        "per_person_limit": "1", "deadline": "2099-01-01T10:00"})
    assert response.status_code == 422 and "already has an open staff offer" in response.get_data(as_text=True)
    client.post(f"/partner/staff/offers/{w.id}/close")  # nobody chose: closed without a pledge
    opened = client.post("/partner/staff/offers/new", data={
        "campaign": w.campaign_id, "packages": w.offer_ids[:1], "points": w.address_ids[:1], "allowance": "300",
        "per_person_limit": "1", "deadline": (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")})
    assert opened.status_code == 302
    with app.app_context():
        offer = db.session.scalars(select(StaffOffer).where(StaffOffer.state == "open")).one()
        assert offer.allowance_fen == 30_000 and offer.method == "transfer" and len(offer.packages) == 1


def test_the_coordinator_imports_the_roll_from_an_excel_file(app, client, make):
    """An .xlsx with a heading row adds everyone; a bad row adds nobody and names the line."""
    from io import BytesIO

    from openpyxl import Workbook

    def xlsx(rows):
        book = Workbook()
        for row in rows:
            book.active.append(row)
        out = BytesIO()
        book.save(out)
        out.seek(0)
        return out

    w = make_staff_offer(app, around=utcnow(), staff=1)
    with app.app_context():
        coordinator = make.partner_user(db.session.get(PartnerUnit, w.unit_id))
    login(client, coordinator)
    in_english(client)
    bad = client.post("/partner/staff/import", data={"file": (xlsx([["姓名", "手机号"], ["周洁", 13977770001],
                                                                    ["吴涛", "1397777"]]), "staff.xlsx")})
    assert bad.status_code == 422 and "Line 2" in bad.get_data(as_text=True)
    client.post("/partner/staff/import", data={"file": (xlsx([["姓名", "手机号"], ["周洁", 13977770001],
                                                             ["吴涛", "13977770002"]]), "staff.xlsx")})
    page = client.get("/partner/staff").get_data(as_text=True)
    assert "周洁" in page and "吴涛" in page and "Staff roll (3)" in page
