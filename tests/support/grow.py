"""Grow the route matrix's world by about a thousand rows of each kind a list or a sum reads.

The rows hang off the world's own village, unit, campaign, round and household, so every page the
world's visitors see has many more rows behind it: households, capacity declarations, pledges and their
lines, deliveries, ledger transactions of the household and of the unit, audit events; and a few hundred
villages, units and campaigns for the county's lists. Bulk inserts keep it to a couple of seconds.
"""

from datetime import timedelta

from sqlalchemy import insert, select

from courtyard.extensions import db
from courtyard.models import (
    AuditEvent, Campaign, CapacityDeclaration, Delivery, DeliveryRound, Household, LedgerEntry, LedgerTransaction,
    PartnerUnit, Pledge, PledgeLine, Township, User, Village, WorkTeam,
)
from courtyard.models.types import utcnow

MANY = 1000
SOME = 300


def grow(app, params, household_user_id):
    """Add the rows; ``params`` are the route matrix world's ids."""
    with app.app_context():
        now = utcnow()
        household_id = db.session.get(User, household_user_id).household_id
        round_ = db.session.get(DeliveryRound, params["round_id"])
        address_id = db.session.scalar(select(Delivery.address_id).where(Delivery.id == params["delivery_id"]))
        new_households = _households(params["village_id"], now)
        _capacities(new_households, params["campaign_id"], params["item_id"], now)
        pledge_ids = _pledges(params["unit_id"], params["campaign_id"], params["offer_id"], address_id, now)
        _deliveries(round_.id, params["unit_id"], address_id, now)
        _household_ledger(household_id, params["campaign_id"], params["item_id"], now)
        _unit_ledger(pledge_ids, params["unit_id"], params["campaign_id"], now)
        _audit(household_user_id, now)
        _places_units_campaigns(now)
        db.session.commit()


def _households(village_id, now):
    rows = [dict(village_id=village_id, head_name=f"批量户{n}", member_count=3, tier=("poor", "monitored", "lifted")[n % 3],
                 phone=f"1390000{n:04d}", active=True, created_at=now, updated_at=now) for n in range(MANY)]
    db.session.execute(insert(Household), rows)
    return db.session.scalars(select(Household.id).where(Household.head_name.like("批量户%"))).all()


def _capacities(household_ids, campaign_id, item_id, now):
    db.session.execute(insert(CapacityDeclaration), [
        dict(household_id=h, item_id=item_id, campaign_id=campaign_id, units=2, recorded_at=now) for h in household_ids])


def _pledges(unit_id, campaign_id, offer_id, address_id, now):
    pledges = [Pledge(campaign_id=campaign_id, unit_id=unit_id, method="transfer", state="paid", total_fen=5_000,
                      reference=f"BUDGET{n:06d}", created_at=now - timedelta(minutes=n), paid_at=now,
                      lines=[PledgeLine(offer_id=offer_id, address_id=address_id, quantity=1, unit_price_fen=5_000)])
               for n in range(MANY)]
    db.session.add_all(pledges)
    db.session.flush()
    return [p.id for p in pledges]


def _deliveries(round_id, unit_id, address_id, now):
    db.session.execute(insert(Delivery), [
        dict(round_id=round_id, unit_id=unit_id, address_id=address_id, state="scheduled", promised_by=now + timedelta(days=3),
             created_at=now) for _ in range(SOME)])


def _household_ledger(household_id, campaign_id, item_id, now):
    db.session.add_all(
        LedgerTransaction(kind="goods_accepted", occurred_at=now - timedelta(hours=n), recorded_at=now, memo="",
                          household_id=household_id, campaign_id=campaign_id, item_id=item_id, units=1, unit_price_fen=800,
                          entries=[LedgerEntry(account="produce_cost", amount_fen=800, campaign_id=campaign_id),
                                   LedgerEntry(account="household_payable", amount_fen=-800, household_id=household_id,
                                               campaign_id=campaign_id)])
        for n in range(MANY))


def _unit_ledger(pledge_ids, unit_id, campaign_id, now):
    dims = dict(unit_id=unit_id, campaign_id=campaign_id)
    db.session.add_all(
        LedgerTransaction(kind="transfer_received", occurred_at=now, recorded_at=now, memo="", pledge_id=pledge_id,
                          entries=[LedgerEntry(account="bank", amount_fen=5_000, **dims),
                                   LedgerEntry(account="unit_funds", amount_fen=-5_000, **dims)], **dims)
        for pledge_id in pledge_ids)


def _audit(actor_id, now):
    db.session.execute(insert(AuditEvent), [
        dict(at=now, actor_id=actor_id, action="budget_test", entity="household", entity_id=n, detail={})
        for n in range(MANY)])


def _places_units_campaigns(now):
    town = Township(name="预算镇")
    db.session.add(town)
    db.session.flush()
    villages = [Village(township_id=town.id, name=f"预算村{n}") for n in range(SOME)]
    db.session.add_all(villages)
    db.session.flush()
    db.session.execute(insert(WorkTeam), [dict(village_id=v.id, name=f"{v.name}工作队") for v in villages])
    db.session.execute(insert(PartnerUnit), [
        dict(name=f"预算单位{n}", kind="company", annual_budget_fen=100_000) for n in range(SOME)])
    db.session.execute(insert(Campaign), [
        dict(title=f"预算众筹{n}", mode="flexible", goal_kind="packages", goal_value=100, opens_at=now,
             closes_at=now + timedelta(days=30), state="draft", created_at=now) for n in range(SOME)])
