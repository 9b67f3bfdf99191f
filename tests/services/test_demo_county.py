"""The county-sized dataset: the counts it promises, consistent money, and a database that still takes new rows."""

from types import SimpleNamespace

from sqlalchemy import func, select

from courtyard.demo.base import build_demo, build_demo_campaigns
from courtyard.demo.county_size import Scale, build_county, steps
from courtyard.extensions import db
from courtyard.models import CampaignPackage, Household, Pledge, PledgeLine, Township, User, Village
from courtyard.models.types import utcnow
from tests.support.factories import login

SMALL = Scale(townships=2, villages_per_township=3, households_per_village=4, units=5, campaigns=6,
              pledges_per_unit_and_campaign=2, season_campaigns=2)


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_county_scale_writes_what_it_promises_once(app):
    """Villages, households, pledges and lines come in the promised numbers; a second run adds nothing."""
    with app.app_context():
        build_demo()
        build_demo_campaigns(utcnow())
        before = {model: _count(model) for model in (Village, Household, Pledge, PledgeLine)}
        ticks = []
        assert build_county(utcnow(), SMALL, progress=lambda: ticks.append(1)) is True
        assert len(ticks) == steps(SMALL)
        assert _count(Village) - before[Village] == 6
        assert _count(Household) - before[Household] == 24
        assert _count(Pledge) - before[Pledge] == 5 * 6 * 2
        assert _count(PledgeLine) - before[PledgeLine] == 5 * 6 * 2 * 2
        assert build_county(utcnow(), SMALL) is False
        assert _count(Household) - before[Household] == 24


def test_sold_counts_match_the_lines_and_identity_numbers_are_encrypted_and_readable(app):
    """Each offer's ``sold`` is the sum of its lines; a bulk household's ID number reads back and is valid."""
    with app.app_context():
        build_demo()
        build_county(utcnow(), SMALL)
        town = db.session.scalar(select(Township).where(Township.name == "规模镇01"))
        offers = db.session.scalars(select(CampaignPackage).join(CampaignPackage.campaign)
                                    .where(CampaignPackage.cap == 1_000_000)).all()
        assert offers
        for offer in offers:
            lines = db.session.scalar(select(func.sum(PledgeLine.quantity)).where(PledgeLine.offer_id == offer.id))
            assert offer.sold == lines
        household = db.session.scalar(select(Household).join(Village).where(Village.township_id == town.id).limit(1))
        from courtyard.text.identifiers import is_resident_id

        assert is_resident_id(household.id_number)
        assert household.id_number_last4 == household.id_number[-4:]


def test_the_database_takes_new_rows_and_bulk_logins_work_after_the_bulk_insert(app, make, client):
    """Ids handed out in bulk leave the sequences right (PostgreSQL), and a bulk team login sees its village."""
    with app.app_context():
        build_demo()
        build_county(utcnow(), SMALL)
        village_name = db.session.scalar(select(User).where(User.login == "team.c001")).work_team.village.name
    make.household(make.village())  # a new row after the bulk ids: no primary-key clash
    login(client, SimpleNamespace(login="team.c001", password="courtyard-team"))
    page = client.get("/team/households").get_data(as_text=True)
    assert village_name in page


def test_the_season_balances_and_every_box_has_a_trace_code_and_its_goods(app):
    """The season's ledger balances in total and per campaign; each round has one delivery per unit and address
    and one box per package bought, each box with its own trace code and exactly the package's contents from
    accepted goods;
    households of the older half of the season are paid what they were owed for it, no more."""
    from courtyard.models import (
        Box, BoxBatch, CollectionRecord, Delivery, DeliveryRound, LedgerEntry, LedgerTransaction, PackageItem,
    )
    from courtyard.demo.season import season_rounds
    from courtyard.services.money.ledger import trial_balance

    with app.app_context():
        build_demo()
        build_county(utcnow(), SMALL)
        _balances, balanced = trial_balance()
        assert balanced
        per_campaign = db.session.execute(select(LedgerEntry.campaign_id, func.sum(LedgerEntry.amount_fen))
                                          .group_by(LedgerEntry.campaign_id)).all()
        assert all(total == 0 for _campaign, total in per_campaign)
        rounds = db.session.scalars(select(DeliveryRound).where(DeliveryRound.state == "packed")).all()
        assert len(rounds) == season_rounds(SMALL) == 4
        for round_ in rounds:
            bought = db.session.scalar(select(func.sum(PledgeLine.quantity)).where(PledgeLine.offer_id == round_.offer_id))
            boxes = db.session.scalar(select(func.count(Box.id)).join(Delivery).where(Delivery.round_id == round_.id))
            assert boxes == bought > 0
            destinations = db.session.execute(select(func.count()).select_from(
                select(Pledge.unit_id, PledgeLine.address_id).join(Pledge)
                .where(PledgeLine.offer_id == round_.offer_id).distinct().subquery())).scalar()
            assert db.session.scalar(select(func.count(Delivery.id)).where(Delivery.round_id == round_.id)) == destinations
            units = dict(db.session.execute(select(PackageItem.item_id, PackageItem.quantity)
                                            .where(PackageItem.package_id == round_.offer.package_id)).all())
            packed = dict(db.session.execute(select(BoxBatch.item_id, func.sum(BoxBatch.units)).join(Box).join(Delivery)
                                             .where(Delivery.round_id == round_.id).group_by(BoxBatch.item_id)).all())
            accepted = dict(db.session.execute(select(CollectionRecord.item_id, func.sum(CollectionRecord.units_accepted))
                                               .where(CollectionRecord.round_id == round_.id)
                                               .group_by(CollectionRecord.item_id)).all())
            assert packed == accepted == {item: quantity * bought for item, quantity in units.items()}
        codes = db.session.scalars(select(Box.trace_code)).all()
        assert codes and all(len(code) == 12 for code in codes) and len(set(codes)) == len(codes)
        payable = dict(db.session.execute(select(LedgerTransaction.kind, func.sum(LedgerEntry.amount_fen))
                                          .join(LedgerTransaction).where(LedgerEntry.account == "household_payable")
                                          .group_by(LedgerTransaction.kind)).all())
        assert payable["payout"] > 0 and -payable["goods_accepted"] > payable["payout"]
        owed = db.session.execute(select(LedgerEntry.household_id, LedgerEntry.campaign_id, func.sum(LedgerEntry.amount_fen))
                                  .where(LedgerEntry.account == "household_payable")
                                  .group_by(LedgerEntry.household_id, LedgerEntry.campaign_id)).all()
        assert all(total <= 0 for _household, _campaign, total in owed)
