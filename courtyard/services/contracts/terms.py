"""What an active contract guarantees a household: the floor price of an item, and which contract it is.

A household is covered by its own active contracts and by those of the cooperative it supplies
through. The price paid is the higher of the floor and the package price (:func:`unit_price`).
"""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from courtyard.extensions import db
from courtyard.models import CapacityDeclaration, CooperativeMember, PurchaseContract
from courtyard.localtime import local_today


@dataclass(frozen=True)
class Cover:
    contract_id: int
    floor_price_fen: int


def unit_price(package_price_fen, cover):
    """The price rule: the higher of the floor and the package price."""
    return max(package_price_fen, cover.floor_price_fen) if cover else package_price_fen


def covers(household_ids, item_ids, now):
    """``{(household_id, item_id): Cover}`` for the active contracts in their term on ``now``'s local date.

    Where several cover the same pair, the highest floor counts.
    """
    household_ids, item_ids = list(household_ids), list(item_ids)
    if not household_ids or not item_ids:
        return {}
    today = local_today(now)
    members = dict(db.session.execute(select(CooperativeMember.household_id, CooperativeMember.cooperative_id)
                                      .where(CooperativeMember.household_id.in_(household_ids))).all())
    contracts = db.session.scalars(select(PurchaseContract).where(
        PurchaseContract.state == "active", PurchaseContract.item_id.in_(item_ids),
        PurchaseContract.starts_on <= today, PurchaseContract.ends_on >= today,
        or_(PurchaseContract.household_id.in_(household_ids),
            PurchaseContract.cooperative_id.in_(set(members.values()) or {0})))).all()
    found = {}
    for household_id in household_ids:
        for contract in contracts:
            if contract.household_id == household_id or (
                    contract.cooperative_id is not None and contract.cooperative_id == members.get(household_id)):
                key = (household_id, contract.item_id)
                if key not in found or contract.floor_price_fen > found[key].floor_price_fen:
                    found[key] = Cover(contract.id, contract.floor_price_fen)
    return found


def cover_of(household_id, item_id, now):
    """The :class:`Cover` of one household's item, or None."""
    return covers([household_id], [item_id], now).get((household_id, item_id))


def contracted_declarations(campaign_id, household_ids):
    """``{(household_id, item_id): PurchaseContract}`` of the declarations of a campaign made under a contract."""
    return {(d.household_id, d.item_id): d.contract for d in db.session.scalars(
        select(CapacityDeclaration).where(CapacityDeclaration.campaign_id == campaign_id,
                                          CapacityDeclaration.contract_id.is_not(None),
                                          CapacityDeclaration.household_id.in_(list(household_ids)))
        .options(joinedload(CapacityDeclaration.contract)))}
