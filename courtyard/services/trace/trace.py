"""Traceability: a household's batch record, the quality check at collection, and the public trace of a box.

``trace_of(code)`` gathers what the public trace page shows; it never carries a full name, phone, ID
number or poverty tier: households appear masked (张*芳).
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import (
    INPUT_KINDS, Box, BoxBatch, BoxScan, CollectionRecord, Delivery, HouseholdBatch, QualityCheck,
)
from courtyard.models.types import utcnow
from courtyard.services.operations import audit
from courtyard.text.masking import mask_name

MAX_INPUTS = 12
MAX_PHOTOS = 6


def clean_inputs(inputs):
    """``[{kind, name}]`` with known kinds, trimmed names, no blanks or repeats; DomainError on an unknown kind."""
    cleaned = []
    for entry in inputs:
        kind, name = entry.get("kind"), (entry.get("name") or "").strip()
        if kind not in INPUT_KINDS:
            raise DomainError(_l("Choose what kind of input this is."), "inputs")
        if name and len(name) > 60:
            raise DomainError(_l("Keep each input under 60 characters."), "inputs")
        if name and {"kind": kind, "name": name} not in cleaned:
            cleaned.append({"kind": kind, "name": name})
    if len(cleaned) > MAX_INPUTS:
        raise DomainError(_l("At most %(n)s inputs per batch.", n=MAX_INPUTS), "inputs")
    return cleaned


def batch_for(household_id, item_id, round_id):
    return db.session.scalar(select(HouseholdBatch).where(
        HouseholdBatch.household_id == household_id, HouseholdBatch.item_id == item_id,
        HouseholdBatch.round_id == round_id))


def save_batch(actor, household, item_id, round_id, now, *, started_on=None, harvested_on=None, inputs=(),
               add_photos=()):
    """Create or update how ``household`` grew ``item_id`` for the round; returns the batch."""
    if started_on and harvested_on and started_on > harvested_on:
        raise DomainError(_l("The harvest cannot come before the planting or hatching."), "harvested_on")
    local_today = now.astimezone(LOCAL_ZONE).date()
    for field, day in (("started_on", started_on), ("harvested_on", harvested_on)):
        if day and day > local_today:
            raise DomainError(_l("This date is in the future."), field)
    cleaned = clean_inputs(inputs)
    batch = batch_for(household.id, item_id, round_id)
    if batch is None:
        batch = HouseholdBatch(household_id=household.id, item_id=item_id, round_id=round_id, photos="")
        db.session.add(batch)
    photos = batch.photo_names + [p for p in add_photos if p]
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_l("At most %(n)s photos per batch.", n=MAX_PHOTOS), "photo")
    batch.started_on, batch.harvested_on, batch.inputs = started_on, harvested_on, cleaned
    batch.photos = ",".join(photos)
    batch.recorded_by_id = actor.id if actor else None
    batch.updated_at = now
    db.session.flush()
    audit.record(actor, "batch_saved", "household_batch", batch.id, household=household.id, item=item_id,
                 inputs=len(cleaned))
    db.session.commit()
    return batch


def record_check(actor, record, now, *, passed, note="", certificate=""):
    """Record (or correct) the quality check of one collection record; a failed check needs a note."""
    note, certificate = (note or "").strip(), (certificate or "").strip()
    if not passed and not note:
        raise DomainError(_l("Say what was wrong."), "note")
    if len(certificate) > 60:
        raise DomainError(_l("Keep the certificate number under 60 characters."), "certificate")
    check = db.session.scalar(select(QualityCheck).where(QualityCheck.record_id == record.id))
    if check is None:
        check = QualityCheck(record_id=record.id)
        db.session.add(check)
    check.passed, check.note, check.certificate = bool(passed), note, certificate
    check.inspector_id, check.checked_at = (actor.id if actor else None), now
    db.session.flush()
    audit.record(actor, "quality_checked", "collection_record", record.id, passed=bool(passed))
    db.session.commit()
    return check


@dataclass(frozen=True)
class TraceSource:
    item: str
    item_unit: str
    units: int
    household: str  # masked
    village: str
    township: str
    started_on: date | None
    harvested_on: date | None
    inputs: tuple  # ((kind, name), ...)
    photos: tuple
    passed: bool | None  # None: not checked
    certificate: str
    check_note: str


@dataclass(frozen=True)
class Trace:
    code: str
    package: str
    campaign: str
    campaign_id: int
    unit: str
    packed_on: date
    sources: tuple[TraceSource, ...]
    households_helped: int
    earned_fen: int
    scans: int


def trace_of(code):
    """What the public trace page shows for a box's code, or None for an unknown code."""
    box = db.session.scalar(select(Box).where(Box.trace_code == (code or "").strip().upper()))
    if box is None:
        return None
    round_ = box.delivery.round
    checks = {c.record_id: c for c in db.session.scalars(select(QualityCheck).where(
        QualityCheck.record_id.in_([b.record_id for b in box.batches])))}
    sources = []
    for batch in box.batches:
        grown = batch_for(batch.household_id, batch.item_id, round_.id)
        check = checks.get(batch.record_id)
        village = batch.household.village
        sources.append(TraceSource(
            item=batch.item.name, item_unit=batch.item.unit, units=batch.units,
            household=mask_name(batch.household.head_name), village=village.name, township=village.township.name,
            started_on=grown.started_on if grown else None, harvested_on=grown.harvested_on if grown else None,
            inputs=tuple((i["kind"], i["name"]) for i in (grown.inputs if grown else [])),
            photos=tuple(grown.photo_names if grown else ()), passed=check.passed if check else None,
            certificate=check.certificate if check else "", check_note=check.note if check else ""))
    households, earned = helped(box)
    return Trace(code=box.trace_code, package=round_.offer.package.name, campaign=round_.campaign.title,
                 campaign_id=round_.campaign_id, unit=box.delivery.unit.name,
                 packed_on=box.packed_at.astimezone(LOCAL_ZONE).date(), sources=tuple(sources),
                 households_helped=households, earned_fen=earned, scans=scans_of_box(box.id))


def helped(box):
    """``(distinct households, fen they earned)`` for the goods in this box."""
    rows = db.session.execute(select(BoxBatch.household_id, BoxBatch.units, CollectionRecord.unit_price_fen)
                              .join(CollectionRecord, BoxBatch.record_id == CollectionRecord.id)
                              .where(BoxBatch.box_id == box.id)).all()
    return len({r.household_id for r in rows}), sum(r.units * r.unit_price_fen for r in rows)


def count_scan(box_code, now=None):
    """Count one opening of a box's trace page in today's bucket (Asia/Shanghai); nothing about the scanner."""
    box_id = db.session.scalar(select(Box.id).where(Box.trace_code == box_code))
    if box_id is None:
        return
    day = (now or utcnow()).astimezone(LOCAL_ZONE).date()
    bumped = update(BoxScan).where(BoxScan.box_id == box_id, BoxScan.day == day).values(count=BoxScan.count + 1)
    if db.session.execute(bumped).rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(BoxScan(box_id=box_id, day=day, count=1))
        except IntegrityError:  # another scan created today's bucket meanwhile
            db.session.execute(bumped)
    db.session.commit()


def scans_of_box(box_id):
    return db.session.scalar(select(func.coalesce(func.sum(BoxScan.count), 0)).where(BoxScan.box_id == box_id))


def scans_by_box(delivery_ids):
    """``{box_id: scans}`` for the boxes of the given deliveries."""
    rows = db.session.execute(select(Box.id, func.coalesce(func.sum(BoxScan.count), 0))
                              .outerjoin(BoxScan, BoxScan.box_id == Box.id)
                              .where(Box.delivery_id.in_(list(delivery_ids))).group_by(Box.id)).all()
    return dict(rows)


def scans_by_delivery(delivery_ids):
    """``{delivery_id: scans}`` over each delivery's boxes."""
    rows = db.session.execute(select(Delivery.id, func.coalesce(func.sum(BoxScan.count), 0))
                              .join(Box, Box.delivery_id == Delivery.id)
                              .join(BoxScan, BoxScan.box_id == Box.id)
                              .where(Delivery.id.in_(list(delivery_ids))).group_by(Delivery.id)).all()
    return dict(rows)
