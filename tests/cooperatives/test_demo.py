"""The demo county has the cooperative the issue asks for, and its printed login works."""

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import BoxRating, CooperativeMember, Household, LedgerTransaction, PurchaseContract
from courtyard.models.types import utcnow
from courtyard.demo.base import build_demo, build_demo_campaigns


def test_the_demo_cooperative_has_members_in_two_villages_an_active_contract_and_rated_boxes(app):
    """Does the demo hold one cooperative with members in two villages, an active contract with a floor price
    cited by payment lines, fee lines, ratings, and a public 信用公示 page naming it; does its login work?"""
    with app.app_context():
        logins = build_demo()
        build_demo_campaigns(utcnow())
        villages = db.session.scalar(select(func.count(func.distinct(Household.village_id))).join(
            CooperativeMember, CooperativeMember.household_id == Household.id))
        assert villages == 2
        contract = db.session.scalar(select(PurchaseContract))
        assert contract.state == "active" and contract.floor_price_fen == 380
        assert db.session.scalar(select(func.count()).select_from(LedgerTransaction).where(
            LedgerTransaction.contract_id == contract.id)) > 0
        assert db.session.scalar(select(func.count()).select_from(LedgerTransaction).where(
            LedgerTransaction.kind == "cooperative_fee")) > 0
        assert db.session.scalar(select(func.count()).select_from(BoxRating)) > 0
    client = app.test_client()
    name, login, password = logins.cooperative
    assert client.post("/login", data={"login": login, "password": password}).headers["Location"] == "/coop/"
    home = client.get("/coop/").get_data(as_text=True)
    assert "县第一中学 每两周收 小白菜 36 袋" in home and "不低于 ¥3.80" in home
    notice = app.test_client().get("/credit").get_data(as_text=True)
    assert name in notice and "次评价" in notice
