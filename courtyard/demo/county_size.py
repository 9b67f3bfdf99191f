"""A county-sized dataset on top of the demo, for benchmarks and query-budget checks.

``flask courtyard demo --scale county``: 300 villages, 30,000 households, 500 partner units, 20
campaigns and 200,000 pledge lines paid by transfer (with the ledger's postings), then a season of
deliveries for the latest closed campaigns (:mod:`courtyard.demo.season`). Written with bulk
inserts (ids assigned here, no ORM objects) so that it takes well under two minutes on SQLite.
Deterministic but for the trace codes; a second run finds it and adds nothing.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from courtyard.demo.base import GIVEN, SURNAMES, TEAM_PASSWORD, UNIT_PASSWORD
from courtyard.demo.bulk_rows import BATCH, NextIds, bulk, entry
from courtyard.demo.season import build_season, season_rounds
from courtyard.extensions import db
from courtyard.models import (
    BankTransfer, Campaign, CampaignPackage, CampaignStateChange, DeliveryAddress, Household, LedgerEntry,
    LedgerTransaction, Package, PackageItem, PartnerUnit, Pledge, PledgeLine, ProduceItem, Township, User, Village,
    WorkTeam, unit_village,
)
from courtyard.models.accounts import HASH_METHOD
from courtyard.models.types import blind_index
from courtyard.services.campaigns.campaign_progress import recount_all
from courtyard.text.identifiers import id_check_digit

MARK = "规模镇"  # townships of the county-sized data are named 规模镇01 …


@dataclass(frozen=True)
class Scale:
    townships: int = 20
    villages_per_township: int = 15
    households_per_village: int = 100
    units: int = 500
    campaigns: int = 20
    pledges_per_unit_and_campaign: int = 10  # two lines each: 500 × 20 × 10 × 2 = 200,000 lines
    season_campaigns: int = 4  # the latest campaigns no longer open get a delivery round per offer


COUNTY = Scale()
TIERS = ("poor", "poor", "poor", "monitored", "monitored", "lifted")


def county_exists():
    return db.session.scalar(select(Township.id).where(Township.name == f"{MARK}01")) is not None


def steps(scale):
    """How many progress ticks :func:`build_county` reports: one per batch written."""
    households = scale.townships * scale.villages_per_township * scale.households_per_village
    pledges = scale.units * scale.campaigns * scale.pledges_per_unit_and_campaign
    return 3 + -(-households // BATCH) + 4 * -(-pledges // BATCH) + season_rounds(scale) + 1


def build_county(now, scale=COUNTY, progress=lambda: None):
    """Write the county-sized data; returns False (and writes nothing) if it is already there."""
    if county_exists():
        return False
    rng = random.Random(2026)
    ids = NextIds()
    villages = _places(ids, scale, rng)
    progress()
    _households(ids, villages, scale, rng, progress)
    units, addresses = _units(ids, villages, scale, rng)
    progress()
    offers, windows, season = _campaigns(ids, scale, now, rng)
    progress()
    lines_by_offer = _pledges(ids, units, addresses, offers, windows, scale, now, rng, progress,
                              {offer_id for _c, _closes, pairs in season for offer_id, _p in pairs})
    build_season(ids, season, lines_by_offer, _contents(), _all_households(villages), now, rng, progress)
    recount_all(db.session)  # the pledges went in as plain rows
    ids.advance_sequences()
    db.session.commit()
    ids.analyze()
    return True


def _places(ids, scale, rng):
    township_ids = ids.take(Township, scale.townships)
    bulk(Township, [{"id": t, "name": f"{MARK}{n + 1:02d}"} for n, t in enumerate(township_ids)])
    count = scale.townships * scale.villages_per_township
    village_ids, team_ids, user_ids = ids.take(Village, count), ids.take(WorkTeam, count), ids.take(User, count)
    team_hash = generate_password_hash(TEAM_PASSWORD, method=HASH_METHOD)
    villages, teams, users = [], [], []
    for n, (village_id, team_id, user_id) in enumerate(zip(village_ids, team_ids, user_ids)):
        township = township_ids[n // scale.villages_per_township]
        name = f"{SURNAMES[n % len(SURNAMES)]}家{n + 1:03d}村"
        villages.append({"id": village_id, "township_id": township, "name": name, "description": f"{name}，庭院经济村。"})
        teams.append({"id": team_id, "village_id": village_id, "name": f"{name}驻村工作队",
                      "contact_phone": f"0452-6{n:06d}"[:13]})
        users.append({"id": user_id, "role": "team", "login": f"team.c{n + 1:03d}", "secret_hash": team_hash,
                      "display_name": f"{name}工作队员", "work_team_id": team_id})
    bulk(Village, villages)
    bulk(WorkTeam, teams)
    bulk(User, users)
    return list(village_ids)


def _households(ids, villages, scale, rng, progress):
    household_ids = ids.take(Household, len(villages) * scale.households_per_village)
    rows = []
    for n, household_id in enumerate(household_ids):
        name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
        # unique by birth year and sequence number: region (6) + birth date (8) + sequence (3)
        first17 = f"230225{1945 + n // 1000 % 60}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{n % 1000:03d}"
        id_number = first17 + id_check_digit(first17)
        card = f"6217{n:09d}{rng.randint(100000, 999999)}"
        rows.append({
            "id": household_id, "village_id": villages[n // scale.households_per_village], "head_name": name,
            "member_count": rng.randint(1, 6), "members": name, "tier": TIERS[rng.randrange(len(TIERS))],
            "phone": f"137{n:08d}", "id_number": id_number, "id_number_index": blind_index(id_number),
            "id_number_last4": id_number[-4:], "bank_card": card, "bank_card_last4": card[-4:], "notes": "",
            "active": True,
        })
        if len(rows) == BATCH:
            bulk(Household, rows)
            rows = []
            progress()
    if rows:
        bulk(Household, rows)
        progress()


def _units(ids, villages, scale, rng):
    unit_ids, user_ids = ids.take(PartnerUnit, scale.units), ids.take(User, scale.units)
    address_ids = ids.take(DeliveryAddress, scale.units * 2)
    unit_hash = generate_password_hash(UNIT_PASSWORD, method=HASH_METHOD)
    kinds = ("government", "school", "company")
    units, users, pairs, addresses = [], [], [], {}
    for n, (unit_id, user_id) in enumerate(zip(unit_ids, user_ids)):
        kind = kinds[n % 3]
        name = {"government": f"县直第{n + 1}局", "school": f"县第{n + 1}学校", "company": f"县第{n + 1}公司"}[kind]
        units.append({"id": unit_id, "name": name, "kind": kind, "contact_name": "联系人", "contact_phone": "0452-5200000",
                      "contact_email": f"unit{n + 1}@example.cn", "annual_budget_fen": 50_000_000,
                      "allow_over_budget": False})
        users.append({"id": user_id, "role": "partner", "login": f"unit.c{n + 1:03d}", "secret_hash": unit_hash,
                      "display_name": f"{name}联系人", "partner_unit_id": unit_id})
        for village in sorted(set(rng.sample(villages, 2))):
            pairs.append({"unit_id": unit_id, "village_id": village})
        addresses[unit_id] = [address_ids[2 * n], address_ids[2 * n + 1]]
    bulk(PartnerUnit, units)
    bulk(User, users)
    bulk(unit_village, pairs)
    bulk(DeliveryAddress, [{"id": a, "unit_id": u, "label": ("职工食堂", "工会")[k], "address": f"县城{u}号{k}",
                             "contact_name": "", "contact_phone": "", "active": True}
                            for u, pair in addresses.items() for k, a in enumerate(pair)])
    return list(unit_ids), addresses


def _campaigns(ids, scale, now, rng):
    packages = db.session.execute(select(Package.id, Package.price_fen).order_by(Package.id)).all()
    campaign_ids = ids.take(Campaign, scale.campaigns)
    offer_ids = ids.take(CampaignPackage, scale.campaigns * 2)
    change_ids = ids.take(CampaignStateChange, scale.campaigns)
    campaigns, offers, changes, by_campaign, windows, closed = [], [], [], {}, {}, []
    for n, campaign_id in enumerate(campaign_ids):
        opens = now - timedelta(days=30 * (scale.campaigns - n))
        state = "open" if n >= scale.campaigns - 3 else ("done" if n < scale.campaigns // 2 else "fulfilling")
        closes = opens + timedelta(days=28) if state != "open" else now + timedelta(days=10 + n)
        campaigns.append({"id": campaign_id, "title": f"{2026 - (scale.campaigns - n) // 12}年第{n + 1}期村货优选",
                          "story": "县直单位认购贫困户庭院产品。", "mode": "flexible", "goal_kind": "packages",
                          "goal_value": 1000, "opens_at": opens, "closes_at": closes, "state": state,
                          "transfer_grace_days": 7, "created_at": opens})
        changes.append({"id": change_ids[n], "campaign_id": campaign_id, "from_state": None, "to_state": state,
                        "at": opens, "note": ""})
        by_campaign[campaign_id], windows[campaign_id] = [], (opens, min(closes, now))
        if state != "open":
            closed.append((campaign_id, closes, []))
        for k in range(2):
            package_id, price = packages[(n + k) % len(packages)]
            offer_id = offer_ids[2 * n + k]
            offers.append({"id": offer_id, "campaign_id": campaign_id, "package_id": package_id, "price_fen": price,
                           "cap": 1_000_000, "sold": 0, "delivery_plan": "", "active": True})
            by_campaign[campaign_id].append((offer_id, price))
            if state != "open":
                closed[-1][2].append((offer_id, package_id))
    bulk(Campaign, campaigns)
    bulk(CampaignStateChange, changes)
    bulk(CampaignPackage, offers)
    return by_campaign, windows, closed[len(closed) - scale.season_campaigns:] if scale.season_campaigns else []


def _pledges(ids, units, addresses, offers, windows, scale, now, rng, progress, season_offers):
    """Paid pledges inside each campaign's window, their transfers and the ledger's "transfer received".

    Returns the season offers' lines: {offer_id: [(line_id, unit_id, address_id, quantity)]}.
    """
    count = len(units) * len(offers) * scale.pledges_per_unit_and_campaign
    pledge_ids, line_ids, transfer_ids = ids.take(Pledge, count), ids.take(PledgeLine, 2 * count), ids.take(BankTransfer, count)
    sold = {offer_id: 0 for pairs in offers.values() for offer_id, _ in pairs}
    pledges, lines, transfers, n = [], [], [], 0
    season_lines = {offer_id: [] for offer_id in season_offers}
    for campaign_id, pairs in offers.items():
        opens, closes = windows[campaign_id]
        minutes = max(int((closes - opens).total_seconds() // 60) - 24 * 60, 1)
        for unit_id in units:
            for _ in range(scale.pledges_per_unit_and_campaign):
                pledge_id, at = pledge_ids[n], opens + timedelta(minutes=rng.randrange(minutes))
                total = 0
                for k, (offer_id, price) in enumerate(pairs):
                    quantity = rng.randint(1, 4)
                    total += quantity * price
                    sold[offer_id] += quantity
                    lines.append({"id": line_ids[2 * n + k], "pledge_id": pledge_id, "offer_id": offer_id,
                                  "address_id": addresses[unit_id][k], "quantity": quantity, "unit_price_fen": price})
                    if offer_id in season_lines:
                        season_lines[offer_id].append((line_ids[2 * n + k], unit_id, addresses[unit_id][k], quantity))
                pledges.append({"id": pledge_id, "campaign_id": campaign_id, "unit_id": unit_id, "method": "transfer",
                                "state": "paid", "total_fen": total, "refunded_fen": 0, "reference": f"CY{pledge_id:09d}",
                                "created_at": at, "paid_at": at + timedelta(hours=20), "over_budget_allowed": False})
                transfers.append({"id": transfer_ids[n], "pledge_id": pledge_id, "amount_fen": total,
                                  "bank_reference": f"BK{pledge_id:09d}", "received_on": at + timedelta(hours=20),
                                  "recorded_at": at + timedelta(hours=20)})
                n += 1
                if len(pledges) == BATCH:
                    _flush_pledges(ids, pledges, lines, transfers, now, progress)
                    pledges, lines, transfers = [], [], []
    if pledges:
        _flush_pledges(ids, pledges, lines, transfers, now, progress)
    for offer_id, quantity in sold.items():
        db.session.execute(CampaignPackage.__table__.update().where(CampaignPackage.id == offer_id).values(sold=quantity))
    return season_lines


def _flush_pledges(ids, pledges, lines, transfers, now, progress):
    for model, rows in ((Pledge, pledges), (PledgeLine, lines), (BankTransfer, transfers)):
        bulk(model, rows)
        progress()
    _post_transfers(ids, pledges, now)
    progress()


def _post_transfers(ids, pledges, now):
    """What :func:`courtyard.services.money.ledger.post_payment_received` posts for each transfer: bank to unit funds.

    Recorded ``now``, when written, as the services record them (the dashboard's summary relies on it).
    """
    transaction_ids, entry_ids = ids.take(LedgerTransaction, len(pledges)), ids.take(LedgerEntry, 2 * len(pledges))
    transactions, entries = [], []
    for n, pledge in enumerate(pledges):
        dims = {"unit_id": pledge["unit_id"], "campaign_id": pledge["campaign_id"]}
        transactions.append({"id": transaction_ids[n], "kind": "transfer_received", "occurred_at": pledge["paid_at"],
                             "recorded_at": now, "memo": pledge["reference"],
                             "source_ref": f"pledge:{pledge['id']}:paid", "pledge_id": pledge["id"], **dims})
        entries += [entry(entry_ids[2 * n], transaction_ids[n], "bank", pledge["total_fen"], **dims),
                    entry(entry_ids[2 * n + 1], transaction_ids[n], "unit_funds", -pledge["total_fen"], **dims)]
    bulk(LedgerTransaction, transactions)
    bulk(LedgerEntry, entries)


def _contents():
    """{package_id: [(item_id, quantity, price paid to the household)]}."""
    contents = {}
    for package_id, item_id, quantity, price in db.session.execute(
            select(PackageItem.package_id, PackageItem.item_id, PackageItem.quantity, ProduceItem.price_fen)
            .join(ProduceItem, ProduceItem.id == PackageItem.item_id).order_by(PackageItem.id)):
        contents.setdefault(package_id, []).append((item_id, quantity, price))
    return contents


def _all_households(villages):
    """[(household_id, village_id)] of the county-sized villages, by id."""
    return [tuple(row) for row in db.session.execute(select(Household.id, Household.village_id)
                                                    .where(Household.village_id.in_(villages)).order_by(Household.id))]
