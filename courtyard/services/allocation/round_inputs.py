"""What a delivery round's allocation run works from: the round's paid boxes and what households have left.

A round delivers one box per paid package of its offer; its run allocates only the boxes of the
pledges the village serves, against each household's campaign-wide declaration less what the
campaign's earlier rounds already allocated it. :mod:`courtyard.services.allocation.allocation_runs`
reads these; :mod:`courtyard.services.deliveries.delivery_rounds` makes the rounds and allocates them.
"""

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import (
    AllocationLine, AllocationRun, CampaignPackage, CapacityDeclaration, DeliveryRound, Household, Package, PackageItem,
    Pledge, PledgeLine,
)


def package_demand(*conditions):
    """``{item_id: units}`` the pledge lines matching ``conditions`` call for: each package bought is its contents."""
    rows = db.session.execute(
        select(PackageItem.item_id, func.sum(PledgeLine.quantity * PackageItem.quantity))
        .select_from(PledgeLine).join(Pledge, PledgeLine.pledge_id == Pledge.id)
        .join(CampaignPackage, PledgeLine.offer_id == CampaignPackage.id)
        .join(Package, CampaignPackage.package_id == Package.id)
        .join(PackageItem, PackageItem.package_id == CampaignPackage.package_id)
        .where(*conditions)
        .group_by(PackageItem.item_id)
    ).all()
    return {item_id: int(units) for item_id, units in rows}


def round_demand(round_, pledge_ids=None):
    """``{item_id: units}``: every paid package of the round's offer is one box of the package's contents.

    ``pledge_ids`` limits it to those pledges (the share of one village).
    """
    conditions = [PledgeLine.offer_id == round_.offer_id, Pledge.state == "paid", Pledge.refunded_fen < Pledge.total_fen]
    if pledge_ids is not None:
        conditions.append(Pledge.id.in_(list(pledge_ids)))
    return package_demand(*conditions)


def offer_pledge_ids(round_):
    """The ids of the paid pledges (not refunded in full) with boxes of the round's offer."""
    return set(db.session.scalars(select(PledgeLine.pledge_id).join(Pledge, PledgeLine.pledge_id == Pledge.id)
                                  .where(PledgeLine.offer_id == round_.offer_id, Pledge.state == "paid",
                                         Pledge.refunded_fen < Pledge.total_fen)))


def run_inputs(run, pledge_ids):
    """``(items, demand, capacity)`` for a round's run: the offer's items, the boxes of the pledges the
    village serves (``pledge_ids``), and each household's declaration less what earlier rounds of the
    campaign allocated it.

    ``capacity`` is ``{(household_id, item_id): units}``.
    """
    round_ = run.round
    items = [line.item for line in sorted(round_.offer.package.lines, key=lambda l: (l.item.name, l.item_id))]
    demand = round_demand(round_, pledge_ids)
    demand = {item.id: demand.get(item.id, 0) for item in items}
    declared = {(d.household_id, d.item_id): d.units for d in db.session.scalars(
        select(CapacityDeclaration).join(Household).where(
            CapacityDeclaration.campaign_id == run.campaign_id, Household.village_id == run.village_id))}
    used = {(h, i): int(units) for h, i, units in db.session.execute(
        select(AllocationLine.household_id, AllocationLine.item_id, func.sum(AllocationLine.units))
        .join(AllocationRun).join(DeliveryRound, AllocationRun.round_id == DeliveryRound.id)
        .where(AllocationRun.campaign_id == run.campaign_id, AllocationRun.village_id == run.village_id,
               AllocationRun.state == "published", DeliveryRound.id != round_.id)
        .group_by(AllocationLine.household_id, AllocationLine.item_id))}
    capacity = {key: max(units - used.get(key, 0), 0) for key, units in declared.items()}
    return items, demand, capacity
