"""The demo county is complete and safe to load twice."""

from courtyard.extensions import db
from courtyard.models import TIERS, Household, Package, PartnerUnit, ProduceItem, Township, User, Village
from courtyard.services.demo import build_demo


def test_demo_builds_the_promised_county_once(app):
    """Does the demo hold 2 townships, 4 villages, 80 households of every tier, 5 units, 12 items, 3 packages, even after a second run?"""
    with app.app_context():
        first = build_demo()
        second = build_demo()
        assert first.created and not second.created
        assert db.session.query(Township).count() == 2
        assert db.session.query(Village).count() == 4
        assert db.session.query(Household).count() == 80
        assert {h.tier for h in db.session.query(Household)} == set(TIERS)
        assert db.session.query(PartnerUnit).count() == 5
        assert db.session.query(ProduceItem).count() == 12
        assert db.session.query(Package).count() == 3
        assert {u.role for u in db.session.query(User)} == {"county", "team", "partner", "household"}
        assert len(second.households) == 8


def test_demo_logins_work(app):
    """Do the printed demo logins really log in, for each of the four roles?"""
    with app.app_context():
        logins = build_demo()
    client = app.test_client()
    staff = [(logins.admin[0], logins.admin[1], "/county/"), (logins.teams[0][1], logins.teams[0][2], "/team/"),
             (logins.units[0][1], logins.units[0][2], "/partner/")]
    for login, password, home in staff:
        assert client.post("/login", data={"login": login, "password": password}).headers["Location"] == home
        assert client.get(home).status_code == 200
        client.post("/logout")
    client.post("/login", data={"login": logins.admin[0], "password": logins.admin[1]})
    overview = client.get("/county/").get_data(as_text=True)
    for figure in ("4 个村", "4 支工作队", "5 个单位", "12 种产品", "3 个套餐"):
        assert figure in overview
    client.post("/logout")
    _village, _name, phone, pin = logins.households[0]
    assert client.post("/login/pin", data={"phone": phone, "pin": pin}).headers["Location"] == "/household/"
