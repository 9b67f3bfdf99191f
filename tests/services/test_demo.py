"""The demo county is complete and safe to load twice."""

from courtyard.demo.base import CAMPAIGNS, build_demo, build_demo_campaigns
from courtyard.extensions import db
from courtyard.models import (
    TIERS, Adoption, AllocationRun, Campaign, CampaignPackage, Household, Package, PartnerUnit, ProduceItem, Township, User,
    Village,
)
from courtyard.models.types import utcnow


def test_demo_builds_the_promised_county_once(app):
    """Does the demo hold 2 townships, 4 villages, 80 households of every tier, 5 units, 12 items, 3 packages and 1 adoption, even after a second run?"""
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
        assert db.session.query(Package).count() == 4
        assert [p.name for p in db.session.query(Package).filter_by(kind="adoption")] == ["认养一只笨鹅"]
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
    for figure in ("4 个村", "4 支工作队", "5 个单位", "12 种产品", "4 个套餐"):
        assert figure in overview
    client.post("/logout")
    _village, _name, phone, pin = logins.households[0]
    assert client.post("/login/pin", data={"phone": phone, "pin": pin}).headers["Location"] == "/household/"


def test_demo_campaign_is_supplied_by_two_villages_with_adoptions(app):
    """Does the New Year campaign show a two-village split, declared caps and published adoptions in the demo?"""
    with app.app_context():
        build_demo()
        build_demo_campaigns(utcnow())
        campaign = db.session.query(Campaign).filter_by(title=CAMPAIGNS[0][0]).one()
        runs = db.session.query(AllocationRun).filter_by(campaign_id=campaign.id).all()
        assert {(r.village.name, r.state) for r in runs} == {("李家村", "draft"), ("石门村", "published")}
        assert sum(r.summary["packages_served"] for r in runs) == 33
        assert {a.run.state for a in db.session.query(Adoption)} == {"published"} and db.session.query(Adoption).count() == 3
        assert all(o.declared_cap is not None for o in db.session.query(CampaignPackage).filter_by(campaign_id=campaign.id))
