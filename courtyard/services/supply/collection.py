"""Collection day (统一分拣): what each household is to bring, and what it actually brought.

The team records, per household and item, the units accepted and the units rejected with a reason.
Bringing fewer acceptable units than allocated is a shortfall: the missing units are re-allocated
to the village's other households at once (:mod:`courtyard.services.supply.collection_shortfall`).

:func:`record_collection` returns the goods accepted as an :class:`AcceptedGoods`, and
:func:`accepted_goods` lists them for a round, so the ledger can post "goods accepted" from either.
"""

from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages import events as message_events
from courtyard.models import (
    AllocationLine, AllocationRun, CollectionDay, CollectionRecord, Delivery, DeliveryRound, Household,
)
from courtyard.services.money import ledger
from courtyard.services.operations import audit
from courtyard.services.supply import collection_shortfall
from courtyard.services.contracts import terms as contract_terms
from courtyard.services.cooperatives import fees as cooperative_fees

MAX_UNITS = 10000


class AcceptedGoods(NamedTuple):
    """Goods a household delivered and the county accepted: what the household is owed for."""

    record_id: int
    round_id: int
    household_id: int
    item_id: int
    units: int
    unit_price_fen: int

    @property
    def amount_fen(self):
        return self.units * self.unit_price_fen


def round_run(round_id, village_id):
    """The published allocation of a round for a village, or None."""
    return db.session.scalar(select(AllocationRun).where(
        AllocationRun.round_id == round_id, AllocationRun.village_id == village_id, AllocationRun.state == "published"))


def collection_day(round_id, village_id):
    return db.session.scalar(select(CollectionDay).where(CollectionDay.round_id == round_id,
                                                         CollectionDay.village_id == village_id))


def records_of(round_id, household_ids):
    """``{(household_id, item_id): CollectionRecord}``."""
    return {(r.household_id, r.item_id): r for r in db.session.scalars(select(CollectionRecord).where(
        CollectionRecord.round_id == round_id, CollectionRecord.household_id.in_(list(household_ids))))}


def set_collection_day(actor, round_, village_id, starts_at, place, now):
    """Change when and where a village's households bring their goods."""
    day = collection_day(round_.id, village_id)
    if day is None:
        raise DomainError(_l("Your village supplies nothing in this round."))
    if day.finished_at is not None:
        raise DomainError(_l("Collection for this round is finished."))
    place = (place or "").strip()
    if not place:
        raise DomainError(_l("Say where the households bring their goods."), "place")
    if starts_at is None or starts_at >= round_.promised_by:
        raise DomainError(_l("Collection must be before the promised delivery time."), "starts_at")
    day.starts_at, day.place = starts_at, place[:120]
    audit.record(actor, "collection_day_set", "collection_day", day.id, starts_at=starts_at.isoformat(), place=place)
    db.session.flush()
    return day


def record_collection(actor, round_, household_id, item_id, accepted, rejected, reason, now):
    """Record what a household brought of an item; a shortfall is re-allocated. Returns :class:`AcceptedGoods`.

    ``accepted`` may not exceed the units allocated; ``rejected`` units (e.g. for quality) need a
    ``reason``. Each household and item is recorded once per round.
    """
    if round_.state != "allocated":
        raise DomainError(_l("Collection for this round is finished."))
    household = db.session.get(Household, household_id)
    run = round_run(round_.id, household.village_id) if household else None
    line = run and db.session.scalar(select(AllocationLine).where(
        AllocationLine.run_id == run.id, AllocationLine.household_id == household_id, AllocationLine.item_id == item_id))
    if line is None or line.units == 0:
        raise DomainError(_l("This household is not to bring this item in this round."), "item")
    day = collection_day(round_.id, household.village_id)
    if day is not None and day.finished_at is not None:
        raise DomainError(_l("Collection for this round is finished."))
    for value, field, top in ((accepted, "accepted", line.units), (rejected, "rejected", MAX_UNITS)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            raise DomainError(_l("Enter a whole number of units from 0 to %(n)s.", n=top), field)
    reason = (reason or "").strip()
    if rejected and not reason:
        raise DomainError(_l("Say why units were rejected."), "reason")
    if db.session.scalar(select(CollectionRecord.id).where(
            CollectionRecord.round_id == round_.id, CollectionRecord.household_id == household_id,
            CollectionRecord.item_id == item_id)):
        raise DomainError(_l("This household's %(item)s is already recorded.", item=line.item.name), "item")
    allocated = line.units
    record = CollectionRecord(round_id=round_.id, household_id=household_id, item_id=item_id, units_accepted=accepted,
                              units_rejected=rejected, reject_reason=reason if rejected else "",
                              unit_price_fen=line.price_fen, units_allocated=line.units,
                              recorded_by_id=getattr(actor, "id", None), recorded_at=now)
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "collection_recorded", "collection_record", record.id, round_id=round_.id,
                 household_id=household_id, item_id=item_id, allocated=allocated, accepted=accepted,
                 rejected=rejected, reason=reason)
    message_events.goods_checked(record, now)
    goods = AcceptedGoods(record.id, round_.id, household_id, item_id, accepted, line.price_fen)
    if accepted:
        post_accepted(actor, round_.campaign_id, household_id, item_id, accepted, line.price_fen, now,
                      f"collection:{record.id}")
    if accepted < allocated:
        why = reason or _("Brought %(accepted)s of %(allocated)s units on collection day.", accepted=accepted,
                          allocated=allocated)
        collection_shortfall.confirm(actor, run, household_id, item_id, accepted, why, now)
    else:
        db.session.flush()
    return goods


def post_accepted(actor, campaign_id, household_id, item_id, units, unit_price_fen, now, source_ref):
    """Post accepted goods to the household's own account, citing the contract that covers them, then the
    fee of the cooperative it supplies through (``source_ref`` + ``:fee``), which never goes below the floor."""
    cover = contract_terms.cover_of(household_id, item_id, now)
    goods = ledger.post_goods_accepted(household_id, campaign_id, item_id, units, unit_price_fen, now, source_ref,
                                       actor=actor, contract_id=cover.contract_id if cover else None)
    cooperative_fees.charge(household_id, campaign_id, item_id, units, unit_price_fen, cover, now,
                            f"{source_ref}:fee", actor=actor)
    return goods


def accepted_goods(round_id, village_id=None):
    """Every :class:`AcceptedGoods` of a round (of one village if given), by household and item."""
    query = select(CollectionRecord).join(Household).where(CollectionRecord.round_id == round_id,
                                                           CollectionRecord.units_accepted > 0)
    if village_id is not None:
        query = query.where(Household.village_id == village_id)
    return [AcceptedGoods(r.id, r.round_id, r.household_id, r.item_id, r.units_accepted, r.unit_price_fen)
            for r in db.session.scalars(query.order_by(CollectionRecord.household_id, CollectionRecord.item_id))]


def finish_collection(actor, round_, village_id, now):
    """The team closes its village's collection; when every village has, the round and its deliveries are collected."""
    day = collection_day(round_.id, village_id)
    if day is None or round_.state != "allocated":
        raise DomainError(_l("Collection for this round is finished."))
    if day.finished_at is None:
        day.finished_at = now
        audit.record(actor, "collection_finished", "collection_day", day.id, round_id=round_.id)
    db.session.flush()
    if all(d.finished_at is not None for d in round_.collection_days):
        round_.state, round_.collected_at = "collected", now
        for delivery in db.session.scalars(select(Delivery).where(Delivery.round_id == round_.id,
                                                                  Delivery.state == "scheduled")):
            delivery.state, delivery.collected_at = "collected", now
    db.session.flush()


def still_to_bring(household_id):
    """What a household is to bring to rounds whose collection is not finished:
    ``[(CollectionDay, [AllocationLine, ...])]``, soonest first."""
    household = db.session.get(Household, household_id)
    rows = db.session.execute(
        select(CollectionDay, AllocationLine).join(AllocationRun, AllocationRun.round_id == CollectionDay.round_id)
        .join(AllocationLine, AllocationLine.run_id == AllocationRun.id)
        .join(DeliveryRound, DeliveryRound.id == CollectionDay.round_id)
        .where(CollectionDay.village_id == household.village_id, AllocationRun.village_id == household.village_id,
               AllocationRun.state == "published", CollectionDay.finished_at.is_(None),
               DeliveryRound.state == "allocated", AllocationLine.household_id == household_id, AllocationLine.units > 0)
        .order_by(CollectionDay.starts_at, AllocationLine.item_id)).all()
    grouped = {}
    for day, line in rows:
        grouped.setdefault(day, []).append(line)
    return list(grouped.items())


def days_of_village(village_id):
    """The village's collection days, latest first."""
    return db.session.scalars(select(CollectionDay).join(DeliveryRound).where(
        CollectionDay.village_id == village_id).order_by(CollectionDay.starts_at.desc())).all()
