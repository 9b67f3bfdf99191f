"""A village's public profile: its produce, how many households take part, photos of their batches.

Counts and masked facts only: no household is named here.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import CapacityDeclaration, CollectionRecord, Household, HouseholdBatch, ProduceItem

MAX_PHOTOS = 8


@dataclass(frozen=True)
class VillageProfile:
    village: object
    households: int  # active households taking part
    produce: tuple  # ProduceItem, by name
    photos: tuple  # photo names from the households' batch records
    earned_fen: int  # accepted collection records x unit price


def village_profile(village):
    households = db.session.scalar(select(func.count(Household.id)).where(
        Household.village_id == village.id, Household.active.is_(True)))
    in_village = select(Household.id).where(Household.village_id == village.id)
    item_ids = set(db.session.scalars(select(CapacityDeclaration.item_id).where(
        CapacityDeclaration.household_id.in_(in_village)).distinct()))
    item_ids |= set(db.session.scalars(select(CollectionRecord.item_id).where(
        CollectionRecord.household_id.in_(in_village)).distinct()))
    produce = db.session.scalars(select(ProduceItem).where(ProduceItem.id.in_(item_ids)).order_by(ProduceItem.name)).all()
    photos = []
    for names in db.session.scalars(select(HouseholdBatch.photos).where(
            HouseholdBatch.household_id.in_(in_village), HouseholdBatch.photos != "")
            .order_by(HouseholdBatch.updated_at.desc()).limit(MAX_PHOTOS)):
        photos += [n for n in names.split(",") if n]
    earned = db.session.scalar(select(func.coalesce(func.sum(
        CollectionRecord.units_accepted * CollectionRecord.unit_price_fen), 0)).where(
        CollectionRecord.household_id.in_(in_village)))
    return VillageProfile(village=village, households=households, produce=tuple(produce),
                          photos=tuple(photos[:MAX_PHOTOS]), earned_fen=int(earned))
