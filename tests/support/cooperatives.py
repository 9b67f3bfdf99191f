"""Building cooperatives with members across villages, and purchase contracts, for the cooperative tests."""

from datetime import timedelta
from io import BytesIO
from types import SimpleNamespace

from werkzeug.datastructures import FileStorage

from courtyard.extensions import db
from courtyard.models import CampaignPackage, Pledge, User
from courtyard.services.contracts import drafting, scans, states
from courtyard.services.cooperatives import registry
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import NOW, make_buyer, make_campaign
from tests.support.factories import PASSWORD

TIER_CYCLE = ("poor", "monitored", "lifted")


def make_cooperative(app, make, villages, per_village, *, fee_kind="none", fee_value=0, shares=lambda n: 1,
                     name="青山蔬菜专业合作社", with_user=True, existing=None):
    """A cooperative of ``per_village`` member households in each village, tiers cycling poor, monitored, lifted,
    plus the ``existing`` households (``(village, [household, ...])``, poor, one share each).

    Returns ids: ``id``, ``township_id``, ``members`` [(household_id, village_id, tier, shares)], ``user``.
    """
    members = []
    for village in villages:
        for n in range(per_village):
            tier = TIER_CYCLE[n % 3]
            household = make.household(village, tier=tier)
            members.append((household.id, village.id, tier, shares(len(members))))
    if existing is not None:
        village, households = existing
        villages = [*villages, village]
        members += [(household.id, village.id, "poor", 1) for household in households]
    with app.app_context():
        cooperative = registry.save_cooperative(None, registry.CooperativeDetails(
            name=name, kind="cooperative", township_id=villages[0].township_id, legal_person="李建国",
            licence_number=f"93230225MA{abs(hash(name)) % 10**8:08d}", contact_phone="13900001111",
            bank_account="6228480012345678", fee_kind=fee_kind, fee_value=fee_value))
        for household_id, _village_id, _tier, member_shares in members:
            registry.add_member(None, cooperative, household_id, member_shares)
        user = None
        if with_user:
            account = User(role="cooperative", login=f"coop{cooperative.id}", display_name=name,
                           cooperative_id=cooperative.id)
            account.set_secret(PASSWORD)
            db.session.add(account)
            db.session.flush()
            user = SimpleNamespace(id=account.id, login=account.login, password=PASSWORD, role="cooperative")
        db.session.commit()
        return SimpleNamespace(id=cooperative.id, township_id=villages[0].township_id, members=members, user=user)


def active_contract(app, now, *, item_id, floor_price_fen, cooperative_id=None, household_id=None, unit_id=None,
                    min_units=10, max_units=200):
    """A contract drafted, signed and made active around ``now``; returns its id."""
    with app.app_context():
        contract = drafting.draft(None, drafting.ContractTerms(
            item_id=item_id, season="2026 冬", min_units=min_units, max_units=max_units,
            floor_price_fen=floor_price_fen, starts_on=(now - timedelta(days=30)).date(),
            ends_on=(now + timedelta(days=90)).date(), delivery_place="县一中食堂", household_id=household_id,
            cooperative_id=cooperative_id, unit_id=unit_id, every_days=14, units_each_time=6), now)
        scan = FileStorage(BytesIO(b"%PDF-1.4\n% signed by both parties\n%%EOF\n"), filename="signed.pdf")
        states.sign(None, contract, scans.save_scan(scan), now)
        states.activate(None, contract, now)
        db.session.commit()
        return contract.id


def paid_campaign(app, boxes_per_pledge):
    """An open campaign (2 units of one item a package) with one paid pledge per entry of ``boxes_per_pledge``."""
    campaign = make_campaign(app, cap=500)
    pledge_ids = []
    with app.app_context():
        for boxes in boxes_per_pledge:
            unit = make_buyer(app)
            pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                           [LineInput(campaign.offer_ids[0], unit.address_ids[0], boxes)], "transfer", NOW)
            pledges.record_transfer(None, db.session.get(Pledge, pledge.id), pledge.total_fen, "B1", NOW, NOW)
            db.session.commit()
            pledge_ids.append(pledge.id)
        item_id = db.session.get(CampaignPackage, campaign.offer_ids[0]).package.lines[0].item_id
    return campaign.id, item_id, pledge_ids
