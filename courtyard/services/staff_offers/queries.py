"""What the staff and coordinator pages read: offers, a person's choice, the roll and its totals.

A unit's roll is read for one unit only (hundreds, at most a few thousand people), never the county's.
"""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import selectinload

from courtyard.extensions import db
from courtyard.models import (
    Box, BoxBatch, Campaign, CollectionRecord, DeliveryAddress, StaffBox, StaffChoice, StaffChoiceLine, StaffMember,
    StaffOffer,
)


def offers_of_unit(unit_id):
    return db.session.scalars(select(StaffOffer).where(StaffOffer.unit_id == unit_id)
                              .order_by(StaffOffer.created_at.desc(), StaffOffer.id.desc())).all()


def choice_of(member_id, offer_id):
    return db.session.scalar(select(StaffChoice).where(StaffChoice.member_id == member_id,
                                                       StaffChoice.offer_id == offer_id)
                             .options(selectinload(StaffChoice.lines).selectinload(StaffChoiceLine.offer)))


def members_of_unit(unit_id):
    return db.session.scalars(select(StaffMember).where(StaffMember.unit_id == unit_id, StaffMember.active.is_(True))
                              .order_by(StaffMember.name, StaffMember.id)).all()


@dataclass(frozen=True)
class RollRow:
    member: StaffMember
    choice: StaffChoice | None


@dataclass(frozen=True)
class Roll:
    rows: list
    per_package: Counter  # campaign package id → packages chosen
    per_point: Counter  # address id → people
    chosen: int

    @property
    def waiting(self):
        return len(self.rows) - self.chosen


def roll(offer):
    """Everyone on the unit's roll with their choice in ``offer`` (or None), and the totals."""
    choices = {c.member_id: c for c in db.session.scalars(
        select(StaffChoice).where(StaffChoice.offer_id == offer.id).options(selectinload(StaffChoice.lines)))}
    members = members_of_unit(offer.unit_id)
    per_package, per_point = Counter(), Counter()
    for choice in choices.values():
        per_point[choice.address_id] += 1
        for line in choice.lines:
            per_package[line.campaign_package_id] += line.quantity
    rows = [RollRow(m, choices.get(m.id)) for m in members]
    return Roll(rows, per_package, per_point, sum(1 for r in rows if r.choice is not None))


def campaigns_taking_pledges(now):
    """Open campaigns within their dates: the ones a staff offer can be opened in."""
    return db.session.scalars(select(Campaign).where(Campaign.state == "open", Campaign.opens_at <= now,
                                                     Campaign.closes_at > now).order_by(Campaign.closes_at)).all()


def unit_addresses(unit_id):
    return db.session.scalars(select(DeliveryAddress).where(DeliveryAddress.unit_id == unit_id,
                                                            DeliveryAddress.active.is_(True))
                              .order_by(DeliveryAddress.id)).all()


@dataclass(frozen=True)
class MyBoxes:
    boxes: list  # (StaffBox, Box) of the person, newest delivery first
    households: int  # households whose goods are in them
    earned_fen: int  # what those goods paid the households


def my_boxes(member_id):
    """A person's packed boxes, and how many households their goods helped earn how much."""
    rows = db.session.execute(select(StaffBox, Box).join(Box, Box.id == StaffBox.box_id)
                              .join(StaffChoice, StaffChoice.id == StaffBox.choice_id)
                              .where(StaffChoice.member_id == member_id).order_by(Box.id.desc())).all()
    box_ids = [box.id for _staff_box, box in rows]
    households, earned = 0, 0
    if box_ids:
        households, earned = db.session.execute(
            select(func.count(distinct(BoxBatch.household_id)),
                   func.coalesce(func.sum(BoxBatch.units * CollectionRecord.unit_price_fen), 0))
            .join(CollectionRecord, CollectionRecord.id == BoxBatch.record_id).where(BoxBatch.box_id.in_(box_ids))).one()
    return MyBoxes([tuple(row) for row in rows], households or 0, int(earned or 0))
