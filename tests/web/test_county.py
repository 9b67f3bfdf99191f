"""The county admin manages places, teams, units, items, packages and tier weights."""

import io

from PIL import Image

from courtyard.extensions import db
from courtyard.models import Package, PartnerUnit, ProduceItem, TierWeight, User, Village, WorkTeam
from tests.support.factories import login


def _admin(client, make):
    login(client, make.admin())


def test_township_village_and_team_with_a_member(app, client, make):
    """Can the admin create a township, a village, its work team and a member who can then log in?"""
    _admin(client, make)
    client.post("/county/townships/new", data={"name": "东风镇"})
    with app.app_context():
        township_id = db.session.query(Village.id).count() or 1
    page = client.get("/county/villages/new").get_data(as_text=True)
    assert "东风镇" in page
    client.post("/county/villages/new", data={"township_id": township_id, "name": "向阳村"})
    with app.app_context():
        village = db.session.query(Village).filter_by(name="向阳村").one()
        village_id = village.id
    response = client.post("/county/teams/new", data={"village_id": village_id, "name": "向阳村工作队"})
    team_url = response.headers["Location"]
    client.post(team_url, data={"display_name": "小王", "login": "wang.xy", "password": "a-long-password"})
    with app.app_context():
        user = db.session.query(User).filter_by(login="wang.xy").one()
        assert user.role == "team" and user.work_team.village.name == "向阳村"
    fresh = app.test_client()
    assert fresh.post("/login", data={"login": "wang.xy", "password": "a-long-password"}).headers["Location"] == "/team/"


def test_duplicate_names_are_refused_at_the_field(client, make):
    """Are a second village of the same name in a township, and a second team for a village, refused at the field?"""
    village = make.village("双名村")
    _admin(client, make)
    response = client.post("/county/villages/new", data={"township_id": village.township_id, "name": "双名村"})
    assert response.status_code == 422 and 'id="name-error"' in response.get_data(as_text=True)
    response = client.post("/county/teams/new", data={"village_id": village.id, "name": "第二队"})
    assert response.status_code == 422 and 'id="village_id-error"' in response.get_data(as_text=True)


def test_partner_unit_budget_in_yuan_is_stored_in_fen(app, client, make):
    """Is a budget typed as 12,345.67 yuan stored as 1234567 fen, with paired villages?"""
    village = make.village()
    _admin(client, make)
    client.post("/county/units/new", data={"name": "县教育局", "kind": "government", "annual_budget": "12,345.67",
                                           "villages": [str(village.id)], "contact_email": ""})
    with app.app_context():
        unit = db.session.query(PartnerUnit).one()
        assert unit.annual_budget_fen == 1234567 and [v.id for v in unit.villages] == [village.id]
    assert "¥12,345.67" in client.get("/county/units").get_data(as_text=True)


def test_bad_money_and_email_get_messages(app, client, make):
    """Do an amount with three decimals and a bad email get messages at their fields, saving nothing?"""
    _admin(client, make)
    response = client.post("/county/units/new", data={"name": "甲", "kind": "school", "annual_budget": "1.234",
                                                      "contact_email": "not-an-email"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="annual_budget-error"' in page and 'id="contact_email-error"' in page
    with app.app_context():
        assert db.session.query(PartnerUnit).count() == 0


def test_item_with_photo_and_package_of_items(app, client, make):
    """Can the admin add an item with a photo and season, then a package of items, priced in yuan?"""
    _admin(client, make)
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(picture, "PNG")
    picture.seek(0)
    client.post("/county/items/new", content_type="multipart/form-data", data={
        "name": "小笨鸡", "category": "poultry", "unit": "只", "price": "88", "months": ["12", "1"],
        "active": "y", "photo": (picture, "chicken.png")})
    with app.app_context():
        item = db.session.query(ProduceItem).one()
        assert item.price_fen == 8800 and item.season_months == "1,12" and item.photo
        item_id, photo = item.id, item.photo
    assert client.get(f"/photos/{photo}").mimetype == "image/jpeg"
    data = {"name": "年货套餐", "price": "398", "active": "y", "lines-0-item_id": str(item_id), "lines-0-quantity": "2"}
    client.post("/county/packages/new", data=data)
    with app.app_context():
        package = db.session.query(Package).one()
        assert package.price_fen == 39800 and [(l.item_id, l.quantity) for l in package.lines] == [(item_id, 2)]
        assert package.household_share_fen == 17600


def test_package_needs_items_once_each(app, client, make):
    """Is a package with no items, or the same item twice, refused with a message?"""
    _admin(client, make)
    client.post("/county/items/new", data={"name": "黄瓜", "category": "garden", "unit": "袋", "price": "5", "active": "y"})
    with app.app_context():
        item_id = db.session.query(ProduceItem.id).scalar()
    page = client.post("/county/packages/new", data={"name": "空", "price": "10"}).get_data(as_text=True)
    assert "至少" in page
    page = client.post("/county/packages/new", data={"name": "重", "price": "10",
                       "lines-0-item_id": item_id, "lines-0-quantity": 1,
                       "lines-1-item_id": item_id, "lines-1-quantity": 2}).get_data(as_text=True)
    assert "只能出现一次" in page
    with app.app_context():
        assert db.session.query(Package).count() == 0


def test_not_a_picture_is_refused(app, client, make):
    """Is a file that is not an image refused at the photo field?"""
    _admin(client, make)
    response = client.post("/county/items/new", content_type="multipart/form-data", data={
        "name": "豆角", "category": "garden", "unit": "袋", "price": "6", "photo": (io.BytesIO(b"not an image"), "x.jpg")})
    assert response.status_code == 422 and 'id="photo-error"' in response.get_data(as_text=True)


def test_tier_weights_are_set_by_the_county(app, client, make):
    """Can the county set each tier's weight, and is a zero weight refused?"""
    _admin(client, make)
    assert client.post("/county/tiers", data={"poor": "1", "monitored": "0", "lifted": "0.5"}).status_code == 422
    client.post("/county/tiers", data={"poor": "1.2", "monitored": "0.9", "lifted": "0.4"})
    with app.app_context():
        assert {t.tier: t.weight_permille for t in db.session.query(TierWeight)} == {"poor": 1200, "monitored": 900, "lifted": 400}


def test_switching_a_team_member_off_stops_their_login(app, client, make):
    """Does switching a member's account off stop them logging in?"""
    village = make.village()
    member = make.team_member(village)
    _admin(client, make)
    client.post(f"/county/users/{member.id}/active/0")
    response = app.test_client().post("/login", data={"login": member.login, "password": member.password})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(WorkTeam, village.team_id).members[0].active is False
