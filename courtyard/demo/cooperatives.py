"""The demo's cooperative (一店助多户): 青山蔬菜专业合作社 with members in 李家村 and 石门村, its 5 % service fee,
an active contract with 县第一中学 for 小白菜 at a floor of ¥3.80 a bag, a declaration for the summer
garden campaign, and the units' ratings of the boxes delivered so far (so 信用公示 has figures).

:func:`build_demo_cooperative` runs before the summer round is collected (so the members' statements
show the fee and the contract), :func:`finish_demo_cooperative` after it was delivered. Part of
``build_demo_campaigns``, which runs once. (To move to ``courtyard/demo/`` with #22.)
"""

from datetime import timedelta
from io import BytesIO

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from courtyard.exports.contract import contract_data, render_contract_pdf
from courtyard.extensions import db
from courtyard.models import (
    Box, Campaign, Cooperative, Delivery, Household, PartnerUnit, ProduceItem, PurchaseContract, Township, User, Village,
)
from courtyard.services.contracts import drafting, scans, states
from courtyard.services.cooperatives import declarations, registry
from courtyard.services.integrity import ratings
from courtyard.localtime import local_today

COOPERATIVE = "青山蔬菜专业合作社"
LOGIN = ("coop.qingshan", "courtyard-coop")
MEMBERS = (("李家村", 6), ("石门村", 4))


def build_demo_cooperative(now):
    """The cooperative, its members across two villages, its user, and its active contract."""
    township = db.session.scalar(select(Township).where(Township.name == "青山镇"))
    cooperative = registry.save_cooperative(None, registry.CooperativeDetails(
        name=COOPERATIVE, kind="cooperative", township_id=township.id, legal_person="李长山",
        licence_number="93230225MA1QS8X2", contact_phone="13904521234", bank_account="6228480452000123456",
        fee_kind="percent", fee_value=50))
    for village_name, count in MEMBERS:
        village = db.session.scalar(select(Village).where(Village.name == village_name))
        for n, household in enumerate(db.session.scalars(select(Household).where(Household.village_id == village.id)
                                                         .order_by(Household.id).limit(count))):
            registry.add_member(None, cooperative, household.id, 2 if n == 0 else 1)
    user = User(role="cooperative", login=LOGIN[0], display_name="李长山", cooperative_id=cooperative.id)
    user.set_secret(LOGIN[1])
    db.session.add(user)
    today = local_today(now)
    contract = drafting.draft(None, drafting.ContractTerms(
        item_id=db.session.scalar(select(ProduceItem.id).where(ProduceItem.name == "小白菜")), season="2026 夏秋",
        min_units=150, max_units=250, floor_price_fen=380, starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=70), delivery_place="县第一中学食堂",
        cooperative_id=cooperative.id, unit_id=db.session.scalar(select(PartnerUnit.id).where(
            PartnerUnit.name == "县第一中学")), every_days=14, units_each_time=36), now - timedelta(days=32))
    printed = render_contract_pdf(contract_data(contract, current_app.config["COUNTY_NAME"]), now)
    scan = scans.save_scan(FileStorage(BytesIO(printed), filename="signed.pdf"))  # the demo's "scan": the print itself
    states.sign(None, contract, scan, now - timedelta(days=31))
    states.activate(None, contract, now - timedelta(days=31))
    db.session.commit()
    return cooperative


def finish_demo_cooperative(now):
    """The cooperative declares for the summer campaign under its contract; the units rate the boxes delivered."""
    cooperative = db.session.scalar(select(Cooperative).where(Cooperative.name == COOPERATIVE))
    contract = db.session.scalar(select(PurchaseContract).where(PurchaseContract.cooperative_id == cooperative.id))
    campaign = db.session.scalar(select(Campaign).where(Campaign.title == "2027 夏季小菜园"))
    declarations.declare(None, cooperative, campaign.id, contract.item_id, 150, now, contract_id=contract.id,
                         note="十户成员合计，每两周可交 36 袋以上")
    for n, delivery in enumerate(db.session.scalars(select(Delivery).where(Delivery.state.in_(ratings.RATEABLE_STATES))
                                                    .order_by(Delivery.id))):
        for box in db.session.scalars(select(Box).where(Box.delivery_id == delivery.id).order_by(Box.id)):
            stars, comment = ((5, "菜很新鲜，孩子们爱吃") if n == 0 else (3, "送晚了，鸡蛋有破损"))
            ratings.rate_box(None, delivery, box.id, stars, comment, (delivery.delivered_at or now) + timedelta(hours=2))
    db.session.commit()
