"""The county splits a campaign's demand between the villages that supply it, pledge by pledge.

Each paid or card-authorised pledge is served by one village. The county may set the village of
any pledge (:class:`SupplyShare`, audited); a pledge it has not set follows the **proposal**:

* the supplying villages are those whose active households declared capacity (units > 0) for the
  campaign;
* pledges are taken in order (oldest first); a pledge goes to a village paired with its unit
  (帮扶结对) whose capacity not yet promised still covers the whole pledge; else to the village
  that has the most such capacity and covers the pledge; else (nobody covers it whole) to the
  village with the most capacity left for the pledge's items, so the shortfall lands where it is
  smallest. Ties go to the village with the smaller id, so the proposal is stable.

Each village's allocation (:mod:`courtyard.services.allocation.allocation_runs`) then uses only the demand of
the pledges it serves. With one supplying village, every pledge goes to it.

Publishing a village's allocation fixes the village of the pledges it served (:func:`fix_for_published`),
so that a later change of capacity cannot move them into another village's demand; the county can
no longer move such a pledge, and a village cannot publish an allocation computed for pledges the
county has since given to another village.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, subqueryload

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import (
    AllocationRun, Campaign, CampaignPackage, CapacityDeclaration, Household, PackageItem, Pledge, PledgeLine, SupplyShare, Village,
    unit_village,
)
from courtyard.services.campaigns.campaigns import COUNTED_STATES
from courtyard.services.operations import audit


@dataclass(frozen=True)
class Share:
    pledge: Pledge
    village_id: int | None  # None when no village supplies the campaign
    fixed: bool  # set by the county, or served by a published allocation (else: the proposal)


def supplying_villages(campaign_id):
    """The villages whose active households declared units for the campaign, by name."""
    return db.session.scalars(
        select(Village).where(Village.id.in_(
            select(Household.village_id).join(CapacityDeclaration, CapacityDeclaration.household_id == Household.id)
            .where(CapacityDeclaration.campaign_id == campaign_id, CapacityDeclaration.units > 0,
                   Household.active.is_(True))))
        .order_by(Village.name, Village.id)).all()


def counted_pledges(campaign_id):
    """The paid and authorised pledges of a campaign not refunded in full, oldest first, with their lines and units
    (one query each)."""
    return db.session.scalars(select(Pledge).where(Pledge.campaign_id == campaign_id, Pledge.state.in_(COUNTED_STATES),
                                                   Pledge.refunded_fen < Pledge.total_fen)
                              .order_by(Pledge.created_at, Pledge.id)
                              .options(subqueryload(Pledge.lines), joinedload(Pledge.unit))).all()


def pledge_units(pledge_ids):
    """``{pledge_id: {item_id: units}}`` each pledge calls for."""
    rows = db.session.execute(
        select(PledgeLine.pledge_id, PackageItem.item_id, func.sum(PledgeLine.quantity * PackageItem.quantity))
        .join(CampaignPackage, PledgeLine.offer_id == CampaignPackage.id)
        .join(PackageItem, PackageItem.package_id == CampaignPackage.package_id)
        .where(PledgeLine.pledge_id.in_(list(pledge_ids)))
        .group_by(PledgeLine.pledge_id, PackageItem.item_id)
    ).all()
    needs = {}
    for pledge_id, item_id, units in rows:
        needs.setdefault(pledge_id, {})[item_id] = int(units)
    return needs


def village_capacity(campaign_id):
    """``{village_id: {item_id: units}}`` declared by active households."""
    rows = db.session.execute(
        select(Household.village_id, CapacityDeclaration.item_id, func.sum(CapacityDeclaration.units))
        .join(Household, CapacityDeclaration.household_id == Household.id)
        .where(CapacityDeclaration.campaign_id == campaign_id, Household.active.is_(True))
        .group_by(Household.village_id, CapacityDeclaration.item_id)
    ).all()
    capacity = {}
    for village_id, item_id, units in rows:
        capacity.setdefault(village_id, {})[item_id] = int(units or 0)
    return capacity


def propose(pledges, needs, capacity, paired):
    """``{pledge_id: village_id}``: the proposal above, from plain data.

    ``needs`` is :func:`pledge_units`, ``capacity`` :func:`village_capacity` restricted to the
    supplying villages, ``paired`` ``{unit_id: {village_id, ...}}``.
    """
    left = {village_id: dict(items) for village_id, items in capacity.items()}
    proposal = {}
    for pledge in pledges:
        need = needs.get(pledge.id, {})
        if not left:
            break

        def covers(village_id):
            return all(left[village_id].get(item_id, 0) >= units for item_id, units in need.items())

        def room(village_id):
            return sum(min(left[village_id].get(item_id, 0), units) for item_id, units in need.items())

        villages = sorted(left)
        covering = [v for v in villages if covers(v)]
        paired_covering = [v for v in covering if v in paired.get(pledge.unit_id, set())]
        pool = paired_covering or covering or villages
        chosen = max(pool, key=lambda v: (room(v), sum(left[v].values()), -v))
        for item_id, units in need.items():
            left[chosen][item_id] = left[chosen].get(item_id, 0) - units
        proposal[pledge.id] = chosen
    return proposal


def shares(campaign_id):
    """Every counted pledge with the village serving it: the county's choice, else the proposal."""
    pledges = counted_pledges(campaign_id)
    chosen = {s.pledge_id: s.village_id for s in db.session.scalars(
        select(SupplyShare).where(SupplyShare.campaign_id == campaign_id))}
    villages = {v.id for v in supplying_villages(campaign_id)}
    capacity = {v: items for v, items in village_capacity(campaign_id).items() if v in villages}
    needs = pledge_units([p.id for p in pledges])
    # what the county has set is promised first; the proposal shares out the rest
    for pledge in pledges:
        village_id = chosen.get(pledge.id)
        if village_id in capacity:
            for item_id, units in needs.get(pledge.id, {}).items():
                capacity[village_id][item_id] = capacity[village_id].get(item_id, 0) - units
    paired = {}
    for unit_id, village_id in db.session.execute(select(unit_village.c.unit_id, unit_village.c.village_id)):
        paired.setdefault(unit_id, set()).add(village_id)
    proposal = propose([p for p in pledges if p.id not in chosen], needs, capacity, paired)
    return [Share(p, chosen[p.id], True) if p.id in chosen else Share(p, proposal.get(p.id), False) for p in pledges]


def village_pledge_ids(campaign_id, village_id):
    """The ids of the counted pledges a village serves."""
    return {share.pledge.id for share in shares(campaign_id) if share.village_id == village_id}


def campaigns_with_demand(campaign_ids):
    """The ids among ``campaign_ids`` of campaigns with a paid or authorised pledge (the others serve nothing)."""
    return set(db.session.scalars(select(Pledge.campaign_id).where(
        Pledge.campaign_id.in_(campaign_ids), Pledge.state.in_(COUNTED_STATES)).distinct()))


def village_packages(campaign_id, village_id):
    """How many packages of the campaign the village serves."""
    return sum(share.pledge.quantity for share in shares(campaign_id) if share.village_id == village_id)


def published_pledge_ids(campaign_id):
    """``{pledge_id: village_id}`` of pledges served by a published allocation."""
    fixed = {}
    for run in db.session.scalars(select(AllocationRun).where(AllocationRun.campaign_id == campaign_id,
                                                              AllocationRun.state == "published")):
        for pledge_id in run.summary.get("pledge_ids", []):
            fixed[pledge_id] = run.village_id
    return fixed


def fix_for_published(actor, run, now):
    """Fix the village of the pledges a run being published served; refuse if the county moved one since."""
    chosen = {s.pledge_id: s for s in db.session.scalars(select(SupplyShare).where(SupplyShare.campaign_id == run.campaign_id))}
    served = run.summary.get("pledge_ids", [])
    if any(p in chosen and chosen[p].village_id != run.village_id for p in served):
        raise DomainError(_l("The county has changed which village serves some pledges since this allocation was "
                             "computed; compute it again before publishing."))
    for pledge_id in served:
        if pledge_id not in chosen:
            db.session.add(SupplyShare(campaign_id=run.campaign_id, pledge_id=pledge_id, village_id=run.village_id,
                                       set_by_id=getattr(actor, "id", None), set_at=now))
    db.session.flush()


def assign(actor, campaign_id, assignments, now):
    """The county sets the serving village of pledges: ``{pledge_id: village_id}``; all or nothing.

    Two people saving at once: the one whose save comes second is told so and saves nothing.

    A village must supply the campaign; a pledge must be one of its paid or authorised pledges.
    """
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise DomainError(_l("Choose a campaign from the list."))
    villages = {v.id for v in supplying_villages(campaign_id)}
    pledges = {p.id for p in counted_pledges(campaign_id)}
    existing = {s.pledge_id: s for s in db.session.scalars(select(SupplyShare).where(SupplyShare.campaign_id == campaign_id))}
    published = published_pledge_ids(campaign_id)
    for pledge_id, village_id in sorted(assignments.items()):
        if pledge_id not in pledges:
            raise DomainError(_l("Choose pledges of this campaign that are paid or authorised."), f"village_{pledge_id}")
        if village_id not in villages:
            raise DomainError(_l("Choose a village that declared capacity for this campaign."), f"village_{pledge_id}")
        if pledge_id in published and published[pledge_id] != village_id:
            raise DomainError(_l("This pledge is in a published allocation; its village can no longer change."),
                              f"village_{pledge_id}")
    try:
        for pledge_id, village_id in sorted(assignments.items()):
            share = existing.get(pledge_id)
            before = share.village_id if share else None
            if share is None:
                share = SupplyShare(campaign_id=campaign_id, pledge_id=pledge_id)
                db.session.add(share)
            elif before == village_id:
                continue
            share.village_id, share.set_by_id, share.set_at = village_id, getattr(actor, "id", None), now
            db.session.flush()
            audit.record(actor, "supply_share_set", "pledge", pledge_id, campaign_id=campaign_id, before=before,
                         after=village_id)
        db.session.commit()
    except IntegrityError as error:  # someone else saved a village for one of these pledges at the same moment
        db.session.rollback()
        raise DomainError(_l("Someone else saved this split at the same moment, so none of your changes were saved. "
                             "Look at the split as it is now and save again.")) from error


def reset(actor, campaign_id):
    """Forget the county's choices: every pledge follows the proposal again, except those in a published allocation."""
    published = list(published_pledge_ids(campaign_id))
    removed = db.session.query(SupplyShare).filter(SupplyShare.campaign_id == campaign_id,
                                                   SupplyShare.pledge_id.not_in(published)).delete(synchronize_session=False)
    audit.record(actor, "supply_share_reset", "campaign", campaign_id, removed=removed)
    db.session.commit()
    return removed
