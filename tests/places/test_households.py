"""A work team registers its village's households: add, edit, deactivate, PIN."""

from sqlalchemy import text

from courtyard.extensions import db
from courtyard.models import Household
from tests.support.factories import login, valid_id_number

GOOD = {"head_name": "刘桂兰", "tier": "monitored", "member_count": "4", "members": "刘桂兰、王强",
        "phone": "139 1234 5678", "id_number": valid_id_number(77), "bank_card": "6217 0000 1111 2222 333", "notes": "养鹅"}


def _team(make):
    village = make.village()
    return village, make.team_member(village)


def test_add_household_shows_numbers_masked(app, client, make):
    """Is a new household saved, and are its ID and bank numbers shown only by their last 4 digits?"""
    village, member = _team(make)
    login(client, member)
    response = client.post("/team/households/new", data=GOOD, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "刘桂兰" in page and "13912345678" in page
    assert GOOD["id_number"] not in page and GOOD["id_number"][-4:] in page
    assert "6217000011112222333" not in page and "**** **** 2333" in page
    with app.app_context():
        household = db.session.query(Household).one()
        assert household.village_id == village.id and household.tier == "monitored" and household.member_count == 4


def test_sensitive_numbers_are_encrypted_at_rest(app, client, make):
    """Does the database hold the ID and bank numbers only encrypted?"""
    _village, member = _team(make)
    login(client, member)
    client.post("/team/households/new", data=GOOD)
    with app.app_context():
        raw = db.session.execute(text("SELECT id_number, bank_card FROM household")).one()
        assert GOOD["id_number"] not in raw[0] and "6217" not in raw[1]
        assert db.session.query(Household).one().id_number == GOOD["id_number"]


def test_bad_fields_get_messages_and_nothing_is_saved(app, client, make):
    """Do a wrong ID check digit, a bad phone and a missing name each get a message at the field, saving nothing?"""
    _village, member = _team(make)
    login(client, member)
    bad_id = GOOD["id_number"][:-1] + ("0" if GOOD["id_number"][-1] != "0" else "1")
    response = client.post("/team/households/new", data=dict(GOOD, head_name="", phone="12345", id_number=bad_id))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="head_name-error"' in page
    with app.app_context():
        assert db.session.query(Household).count() == 0
    response = client.post("/team/households/new", data=dict(GOOD, phone="12345"))
    assert 'id="phone-error"' in response.get_data(as_text=True)
    response = client.post("/team/households/new", data=dict(GOOD, id_number=bad_id))
    assert 'id="id_number-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Household).count() == 0


def test_duplicate_phone_is_refused_at_the_field(client, make):
    """Is a phone number already used by another household refused next to the phone field?"""
    village, member = _team(make)
    existing = make.household(village)
    login(client, member)
    response = client.post("/team/households/new", data=dict(GOOD, phone=existing.phone, id_number=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="phone-error"' in page and "已有" in page


def test_edit_keeps_numbers_when_left_blank(app, client, make):
    """Does editing with empty ID and card fields keep the stored numbers, and never send them to the browser?"""
    village, member = _team(make)
    household = make.household(village)
    login(client, member)
    form_page = client.get(f"/team/households/{household.id}/edit").get_data(as_text=True)
    assert household.id_number not in form_page and household.bank_card not in form_page
    client.post(f"/team/households/{household.id}/edit",
                data={"head_name": "新名字", "tier": "lifted", "member_count": "2", "phone": household.phone})
    with app.app_context():
        saved = db.session.get(Household, household.id)
        assert saved.head_name == "新名字" and saved.tier == "lifted" and saved.id_number == household.id_number


def test_deactivate_closes_login_and_hides_from_list(client, make, app):
    """Does deactivating a household close its login and take it off the default list (but not lose it)?"""
    village, member = _team(make)
    household = make.household(village, name="停用户", with_pin=True)
    login(client, member)
    client.post(f"/team/households/{household.id}/active/0")
    assert "停用户" not in client.get("/team/households").get_data(as_text=True)
    assert "停用户" in client.get("/team/households?inactive=1").get_data(as_text=True)
    other = app.test_client()
    response = other.post("/login/pin", data={"phone": household.phone, "pin": household.pin})
    assert response.status_code == 422


def test_set_pin_needs_six_digits_twice(client, make):
    """Is a PIN that is not 6 digits, or not repeated the same, refused with a message?"""
    village, member = _team(make)
    household = make.household(village)
    login(client, member)
    page = client.post(f"/team/households/{household.id}/pin", data={"pin": "12345", "confirm": "12345"}).get_data(as_text=True)
    assert "6 位数字" in page
    page = client.post(f"/team/households/{household.id}/pin", data={"pin": "123456", "confirm": "654321"}).get_data(as_text=True)
    assert "不一致" in page


def test_household_list_searches_and_filters(client, make):
    """Do the search box and the tier filter narrow the list?"""
    village, member = _team(make)
    make.household(village, name="张大山", tier="poor")
    make.household(village, name="李小河", tier="lifted")
    login(client, member)
    page = client.get("/team/households?q=大山").get_data(as_text=True)
    assert "张大山" in page and "李小河" not in page
    page = client.get("/team/households?tier=lifted").get_data(as_text=True)
    assert "李小河" in page and "张大山" not in page
