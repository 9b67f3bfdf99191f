"""How far a contract is kept: units accepted from its seller against the minimum due by now.

The minimum is due evenly over the term: by a day inside it, ``min_units × days passed / days of the
term`` (rounded down) should have been accepted. Less than that is a shortfall, flagged on the
team's and the county's pages. Accepted units are those of collection records of the contract's
item from the seller (the household, or the cooperative's members) in rounds delivered in the term.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import CollectionRecord, CooperativeMember, DeliveryRound, Household, PurchaseContract
from courtyard.localtime import local_today


@dataclass(frozen=True)
class Progress:
    contract: PurchaseContract
    accepted: int
    due_by_now: int

    @property
    def shortfall(self):
        return max(0, self.due_by_now - self.accepted)


def _sellers(contract):
    if contract.household_id is not None:
        return select(Household.id).where(Household.id == contract.household_id)
    return select(CooperativeMember.household_id).where(CooperativeMember.cooperative_id == contract.cooperative_id)


def accepted_units(contract):
    return int(db.session.scalar(
        select(func.coalesce(func.sum(CollectionRecord.units_accepted), 0))
        .join(DeliveryRound, DeliveryRound.id == CollectionRecord.round_id)
        .where(CollectionRecord.item_id == contract.item_id, CollectionRecord.household_id.in_(_sellers(contract)),
               DeliveryRound.delivers_on >= contract.starts_on, DeliveryRound.delivers_on <= contract.ends_on)))


def progress(contract, now):
    today = local_today(now)
    term = (contract.ends_on - contract.starts_on).days + 1
    passed = min(max((today - contract.starts_on).days + 1, 0), term)
    return Progress(contract, accepted_units(contract), contract.min_units * passed // term)


def short_contracts(now, village_id=None):
    """The active contracts behind their minimum now (of sellers in ``village_id`` if given)."""
    query = select(PurchaseContract).where(PurchaseContract.state == "active").order_by(PurchaseContract.id)
    if village_id is not None:
        in_village = select(Household.id).where(Household.village_id == village_id)
        query = query.where(PurchaseContract.household_id.in_(in_village) | PurchaseContract.cooperative_id.in_(
            select(CooperativeMember.cooperative_id).where(CooperativeMember.household_id.in_(in_village))))
    found = [progress(contract, now) for contract in db.session.scalars(query)]
    return [p for p in found if p.shortfall]


def contracts_of_household(household_id):
    """The household's own contracts and its cooperative's, signed or in force, newest first."""
    cooperative = select(CooperativeMember.cooperative_id).where(CooperativeMember.household_id == household_id)
    return db.session.scalars(select(PurchaseContract).where(
        PurchaseContract.state.in_(("signed", "active")),
        (PurchaseContract.household_id == household_id) | PurchaseContract.cooperative_id.in_(cooperative))
        .order_by(PurchaseContract.id.desc())).all()
