"""The demo county: two townships, four villages, 80 households, five units, a catalogue.

Deterministic, and safe to run twice: a second run finds the demo and adds nothing.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from courtyard.demo.ledger import build_demo_ledger
from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.demo.cooperatives import LOGIN as COOPERATIVE_LOGIN
from courtyard.demo.cooperatives import build_demo_cooperative, finish_demo_cooperative
from courtyard.models import (
    ApiToken, Campaign, CampaignPackage, CampaignStateChange, Delivery, DeliveryAddress, DeliveryRound, Household, Package,
    PackageItem, PartnerUnit, ProduceItem, Township, User, Village, WorkTeam,
)
from courtyard.models.types import blind_index
from courtyard.services.identity.api_tokens import HINT_LENGTH, digest_of
from courtyard.text.identifiers import id_check_digit

ADMIN = ("admin", "courtyard-admin", "县电商办管理员")
TEAM_PASSWORD = "courtyard-team"
UNIT_PASSWORD = "courtyard-unit"
DEMO_API_TOKEN = "cyt_demo-unit-token-for-local-trials-only"
HOUSEHOLD_PIN = "123456"
PLACES = {"青山镇": ["李家村", "石门村"], "河口乡": ["柳树村", "王庄村"]}
TEAM_LOGINS = {"李家村": "team.lijia", "石门村": "team.shimen", "柳树村": "team.liushu", "王庄村": "team.wangzhuang"}
UNITS = [
    ("县财政局", "government", "unit.caizheng", "赵建国", ["李家村", "石门村"], 12_000_000),
    ("县第一中学", "school", "unit.yizhong", "孙丽华", ["柳树村"], 5_000_000),
    ("县人民医院", "government", "unit.yiyuan", "周志强", ["王庄村"], 8_000_000),
    ("县农村商业银行", "company", "unit.nongshang", "吴敏", ["李家村", "柳树村"], 10_000_000),
    ("县供电公司", "company", "unit.gongdian", "郑伟", ["石门村", "王庄村"], 6_000_000),
]
ITEMS = [
    ("小白菜", "garden", "500 g 袋", 400, "5,6,7,8,9"), ("黄瓜", "garden", "500 g 袋", 500, "6,7,8"),
    ("西红柿", "garden", "500 g 袋", 600, "7,8,9"), ("豆角", "garden", "500 g 袋", 600, "7,8,9"),
    ("茄子", "garden", "500 g 袋", 500, "7,8,9"), ("土豆", "garden", "2.5 kg 袋", 1500, "8,9,10"),
    ("小笨鸡", "poultry", "只", 8800, "1,2,11,12"), ("笨鹅", "poultry", "只", 16800, "1,2,12"),
    ("土鸡蛋", "poultry", "30 枚盒", 4500, ""), ("干豆角", "dried", "500 g 袋", 3500, "10,11"),
    ("茄子干", "dried", "500 g 袋", 3000, "10,11"), ("榛蘑", "dried", "250 g 袋", 6000, "9,10"),
]
PACKAGES = [
    ("囤秋菜套餐", "秋收时节的农家菜：土豆、豆角、茄子和干菜，一户一户收上来。", 16800,
     [("土豆", 2), ("豆角", 2), ("茄子", 2), ("干豆角", 1), ("茄子干", 1)]),
    ("囤年货套餐", "散养一年的小笨鸡和笨鹅，配农家干菜和榛蘑，过年送家人。", 39800,
     [("小笨鸡", 1), ("笨鹅", 1), ("干豆角", 1), ("榛蘑", 1)]),
    ("夏季小菜园周配", "每两周一次，从贫困户的小菜园直接送到单位食堂。", 8800,
     [("小白菜", 3), ("黄瓜", 3), ("西红柿", 3), ("土鸡蛋", 1)]),
]
# adoption packages (认养): raised whole by one household for one unit
ADOPTIONS = [
    ("认养一只笨鹅", "一户贫困户从春天散养到春节，单位认养、农户饲养，年前宰杀送到单位。", 45800, [("笨鹅", 1)]),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["秀英", "桂兰", "玉兰", "建国", "建华", "志强", "国庆", "淑珍", "春梅", "海燕", "德胜", "长山",
         "凤芝", "金花", "明亮", "永福", "玉珍", "树林", "文华", "丽娟"]


@dataclass
class DemoLogins:
    admin: tuple
    teams: list
    units: list
    households: list
    created: bool
    api_token: tuple = ()  # (unit login, bearer secret) for trying the JSON API
    cooperative: tuple = ()  # (name, login, password) of the demo cooperative's user


def _id_number(rng, region, year):
    first17 = f"{region}{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return first17 + id_check_digit(first17)


def _households(village, index, rng):
    rows = []
    for n in range(20):
        tier = ("poor", "poor", "monitored", "lifted")[n % 4] if n % 5 else "poor"
        name = SURNAMES[(index * 7 + n) % len(SURNAMES)] + GIVEN[(n * 3 + index) % len(GIVEN)]
        size = rng.randint(1, 6)
        household = Household(
            village=village, head_name=name, tier=tier, member_count=size,
            members="、".join([name] + [f"{name[0]}{GIVEN[(n * 3 + index + k * 5) % len(GIVEN)]}" for k in range(1, size)]),
            phone=f"139{index:02d}00{n:04d}", notes="", active=True,
        )
        household.id_number = _id_number(rng, "230225", rng.randint(1945, 1985))
        household.id_number_index = blind_index(household.id_number)
        household.id_number_last4 = household.id_number[-4:]
        card = f"621700{index:02d}{n:03d}{rng.randint(10_000_000, 99_999_999)}"
        household.bank_card, household.bank_card_last4 = card, card[-4:]
        rows.append(household)
    return rows


def _user(role, login, secret, name, **scope):
    user = User(role=role, login=login, display_name=name, **scope)
    user.set_secret(secret)
    return user


def build_demo(progress=lambda step: None):
    """Create the demo county if it is not there yet; returns the logins to print."""
    existing = db.session.scalar(select(User).where(User.login == ADMIN[0]))
    created = existing is None
    if created:
        rng = random.Random(20261123)
        db.session.add(_user("county", ADMIN[0], ADMIN[1], ADMIN[2]))
        villages = {}
        for township_name, village_names in PLACES.items():
            township = Township(name=township_name)
            for village_name in village_names:
                villages[village_name] = Village(township=township, name=village_name,
                                                 description=f"{township_name}{village_name}，庭院经济示范村。")
        progress("places")
        for index, (name, village) in enumerate(villages.items(), start=1):
            team = WorkTeam(village=village, name=f"{name}驻村工作队", contact_phone=f"0452-55{index:02d}000")
            db.session.add(_user("team", TEAM_LOGINS[name], TEAM_PASSWORD, f"{name}工作队员", work_team=team))
            households = _households(village, index, rng)
            db.session.add_all(households)
            for household in households[:2]:
                db.session.add(_user("household", household.phone, HOUSEHOLD_PIN, household.head_name, household=household))
        progress("households")
        for name, kind, login, contact, village_names, budget in UNITS:
            unit = PartnerUnit(name=name, kind=kind, contact_name=contact, contact_phone="0452-5200000",
                               contact_email=f"{login.split('.')[1]}@example.cn", annual_budget_fen=budget,
                               villages=[villages[v] for v in village_names])
            db.session.add(_user("partner", login, UNIT_PASSWORD, contact, partner_unit=unit))
        items = {}
        for name, category, unit, price, months in ITEMS:
            items[name] = ProduceItem(name=name, category=category, unit=unit, price_fen=price, season_months=months)
        for kind, packages in (("standard", PACKAGES), ("adoption", ADOPTIONS)):
            for name, description, price, lines in packages:
                db.session.add(Package(name=name, description=description, price_fen=price, kind=kind,
                                       lines=[PackageItem(item=items[i], quantity=q) for i, q in lines]))
        progress("catalogue")
        _demo_api_token()
        db.session.commit()
    return demo_logins(created)


def _demo_api_token():
    """The first unit's canteen spreadsheet reads the API with a known demo token (printed with the logins)."""
    db.session.flush()
    user = db.session.scalar(select(User).where(User.login == UNITS[0][2]))
    db.session.add(ApiToken(user=user, name="食堂对账表格", hint=DEMO_API_TOKEN[:HINT_LENGTH],
                            digest=digest_of(DEMO_API_TOKEN)))


CAMPAIGNS = [
    ("2026 囤年货", "all_or_nothing", 60, [("囤年货套餐", 80, "春节前一周统一配送"), ("囤秋菜套餐", 120, "十月统一配送"),
                                           ("认养一只笨鹅", 20, "腊月二十统一宰杀配送")],
     "帮扶单位认购贫困户散养的小笨鸡、笨鹅和农家干菜，过年送职工。达到 60 份才扣款，达不到全部退回。"),
    ("2027 夏季小菜园", "flexible", 40, [("夏季小菜园周配", 60, "7 月至 9 月每两周一次")],
     "单位食堂认购农户小菜园的新鲜蔬菜，每两周配送一次。"),
]


def build_demo_campaigns(now):
    """Two open campaigns and a canteen address for every unit, if there are no campaigns yet."""
    if db.session.scalar(select(Campaign.id).limit(1)) is not None:
        return False
    packages = {p.name: p for p in db.session.scalars(select(Package))}
    for title, mode, goal, offers, story in CAMPAIGNS:
        db.session.add(Campaign(
            title=title, story=story, mode=mode, goal_kind="packages", goal_value=goal, state="open",
            opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=14), limit_per_address=30,
            offers=[CampaignPackage(package=packages[name], price_fen=packages[name].price_fen, cap=cap, sold=0,
                                    delivery_plan=plan) for name, cap, plan in offers],
            changes=[CampaignStateChange(from_state=None, to_state="draft", at=now - timedelta(days=4)),
                     CampaignStateChange(from_state="draft", to_state="open", at=now - timedelta(days=3))],
        ))
    for unit in db.session.scalars(select(PartnerUnit)):
        if not db.session.scalar(select(DeliveryAddress.id).where(DeliveryAddress.unit_id == unit.id).limit(1)):
            db.session.add(DeliveryAddress(unit_id=unit.id, label="职工食堂", address=f"{unit.name}院内一楼",
                                           contact_name=unit.contact_name, contact_phone=unit.contact_phone))
    db.session.commit()
    _demo_pledges(now)
    build_demo_cooperative(now)
    _demo_supply(now)
    _demo_deliveries(now)
    finish_demo_cooperative(now)
    build_demo_ledger(now)
    return True


def _demo_pledges(now):
    """Three units have already pledged to the New Year campaign and paid by transfer; one more transfer is on its way."""
    from courtyard.services.pledges import pledges

    campaign = db.session.scalar(select(Campaign).where(Campaign.title == CAMPAIGNS[0][0]))
    offer = campaign.offers[0]
    adoption = campaign.offers[2]
    for unit_name, quantity, offer in (("县财政局", 12, offer), ("县第一中学", 8, offer), ("县农村商业银行", 10, offer),
                                       ("县人民医院", 3, adoption)):
        unit = db.session.scalar(select(PartnerUnit).where(PartnerUnit.name == unit_name))
        address = db.session.scalar(select(DeliveryAddress).where(DeliveryAddress.unit_id == unit.id))
        pledge = pledges.create_pledge(None, unit.id, campaign.id, [pledges.LineInput(offer.id, address.id, quantity)],
                                       "transfer", now)
        pledges.record_transfer(None, pledge, pledge.total_fen, f"DEMO-{pledge.reference}", now, now)
    # A top-up the finance bureau has not paid yet: its transfer deadline shows on the unit's calendar.
    unit = db.session.scalar(select(PartnerUnit).where(PartnerUnit.name == "县财政局"))
    address = db.session.scalar(select(DeliveryAddress).where(DeliveryAddress.unit_id == unit.id))
    pledges.create_pledge(None, unit.id, campaign.id, [pledges.LineInput(offer.id, address.id, 4)], "transfer", now)


SUPPLYING_VILLAGES = ("李家村", "石门村")  # the New Year campaign is supplied by two villages


def _demo_supply(now):
    """Households of two villages declare what they can supply for the New Year campaign; the county
    allocates both villages on the proposed split; 石门村 (which raises the adopted geese) publishes its
    notice, 李家村's allocation stays a draft for its team to try."""
    from courtyard.services.allocation import allocation_runs, county_allocation
    from courtyard.services.supply import supply, supply_caps

    rng = random.Random(20261224)
    campaign = db.session.scalar(select(Campaign).where(Campaign.title == CAMPAIGNS[0][0]))
    items = supply.round_items(campaign.id)
    for village_name in SUPPLYING_VILLAGES:
        village = db.session.scalar(select(Village).where(Village.name == village_name))
        households = db.session.scalars(select(Household).where(Household.village_id == village.id)
                                        .order_by(Household.id).limit(12)).all()
        for household in households:
            for item in items:
                units = rng.randint(1, 4) if item.category == "poultry" else rng.randint(2, 8)
                supply.record(None, household, campaign.id, item.id, units, now, refresh_caps=False)
    supply_caps.refresh(campaign.id)
    db.session.commit()
    county_allocation.allocate_all(None, campaign.id, now)
    published = db.session.scalar(select(Village).where(Village.name == SUPPLYING_VILLAGES[1]))
    run = county_allocation.latest_runs(campaign.id).get(published.id)
    if run is not None:
        allocation_runs.publish(None, run, now)


def _demo_deliveries(now):
    """The summer garden box goes out every two weeks: a past round delivered (one late, one problem refunded),
    the next allocated with its collection day tomorrow, the later ones scheduled. 李家村 supplies it."""
    from courtyard.services.deliveries import deliveries, delivery_complaints, delivery_rounds, packing
    from courtyard.services.pledges import pledges
    from courtyard.services.supply import collection, supply
    from courtyard.demo.trace import build_demo_trace

    campaign = db.session.scalar(select(Campaign).where(Campaign.title == CAMPAIGNS[1][0]))
    offer = campaign.offers[0]
    for unit_name, quantity in (("县第一中学", 6), ("县人民医院", 4), ("县供电公司", 5)):
        unit = db.session.scalar(select(PartnerUnit).where(PartnerUnit.name == unit_name))
        address = db.session.scalar(select(DeliveryAddress).where(DeliveryAddress.unit_id == unit.id))
        pledge = pledges.create_pledge(None, unit.id, campaign.id, [pledges.LineInput(offer.id, address.id, quantity)],
                                       "transfer", now - timedelta(days=2))
        pledges.record_transfer(None, pledge, pledge.total_fen, f"DEMO-{pledge.reference}", now, now)
    village = db.session.scalar(select(Village).where(Village.name == "李家村"))
    households = db.session.scalars(select(Household).where(Household.village_id == village.id)
                                    .order_by(Household.id).limit(12)).all()
    for n, household in enumerate(households):
        for line in offer.package.lines:
            units = 4 if line.item.category == "poultry" else 12 + n % 3
            supply.record(None, household, campaign.id, line.item_id, units, now - timedelta(days=20))
    db.session.commit()
    today = now.astimezone(LOCAL_ZONE).date()
    delivery_rounds.set_plan(None, offer.id, now - timedelta(days=30), window_start=today - timedelta(days=12),
                             window_end=today + timedelta(days=44), every_days=14, cutoff_days=3)
    past, upcoming = db.session.scalars(select(DeliveryRound).where(DeliveryRound.offer_id == offer.id)
                                        .order_by(DeliveryRound.number).limit(2)).all()
    delivery_rounds.allocate_round(None, past, past.cutoff_at)
    collected_at = past.promised_by - timedelta(days=1, hours=6)
    run = collection.round_run(past.id, village.id)
    first = next(line for line in run.lines if line.units > 1)
    for line in sorted(run.lines, key=lambda l: (l.household_id, l.item_id)):
        if line.units:
            rejected = 1 if line is first else 0
            collection.record_collection(None, past, line.household_id, line.item_id, line.units - rejected, rejected,
                                         "西红柿有裂口" if rejected else "", collected_at)
    collection.finish_collection(None, past, village.id, collected_at + timedelta(hours=3))
    packing.pack_round(None, past, collected_at + timedelta(hours=6))
    build_demo_trace(past, collected_at)
    on_time, late, unconfirmed = db.session.scalars(select(Delivery).where(Delivery.round_id == past.id)
                                                    .order_by(Delivery.id)).all()
    for delivery, arrived in ((on_time, -timedelta(hours=3)), (late, timedelta(hours=2)), (unconfirmed, -timedelta(hours=1))):
        deliveries.advance(None, delivery, past.promised_by - timedelta(hours=8))
        deliveries.advance(None, delivery, past.promised_by + arrived)
    deliveries.confirm_receipt(None, on_time, on_time.delivered_at + timedelta(hours=1))
    problem = delivery_complaints.report(None, late, "送到时已过午饭时间，两盒鸡蛋有破损。", None,
                                         late.delivered_at + timedelta(hours=1))
    delivery_complaints.resolve(None, problem, "refund", "破损鸡蛋退款", problem.reported_at + timedelta(hours=20),
                                amount_fen=2 * 4500)
    delivery_rounds.allocate_round(None, upcoming, upcoming.cutoff_at)
    db.session.commit()  # demo builders are run from the CLI and tests: they commit what they build


def demo_logins(created):
    teams = [(v, TEAM_LOGINS[v], TEAM_PASSWORD) for vs in PLACES.values() for v in vs]
    units = [(name, login, UNIT_PASSWORD) for name, _kind, login, *_rest in UNITS]
    households = db.session.execute(
        select(Village.name, Household.head_name, User.login)
        .join(Household, User.household_id == Household.id).join(Village, Household.village_id == Village.id)
        .order_by(User.login)
    ).all()
    return DemoLogins(ADMIN, teams, units, [(v, n, phone, HOUSEHOLD_PIN) for v, n, phone in households], created,
                      (UNITS[0][2], DEMO_API_TOKEN), ("青山蔬菜专业合作社", *COOPERATIVE_LOGIN))
