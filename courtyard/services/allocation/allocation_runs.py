"""Allocation runs: a village's share of a campaign round, computed by the fair-allocation engine.

Where the numbers come from:

* **demand** per item is the village's share of the campaign's demand: the sum over the paid and
  card-authorised pledges the village serves (:mod:`courtyard.services.allocation.demand_split`: the county's
  split, else its proposal) of ``quantity x the item's quantity in the package``, for ordinary
  packages. Adoption packages are allocated first, in whole adoptions
  (:mod:`courtyard.services.supply.adoptions`); what they use of the declared units and the income they
  bring count when the ordinary items are allocated. What the households cannot supply is the
  shortfall.
* **capacity** from the round's capacity declarations of the village's active households;
* **weight** from the household's tier (:func:`courtyard.services.allocation.tiers.current_weights`);
* **prior income** is what the household earned in this season's earlier *published* runs of
  other campaigns (units x price per unit as at that run), and for a delivery round's run also in the
  campaign's other rounds; the season is the calendar year in Asia/Shanghai of ``now``.

Manual adjustments pin a (household, item) to a number of units with a reason; the engine keeps
pins when it re-runs, and re-balances everything else; a single pin can be removed again, with a
reason (:func:`unpin`). Published runs do not change.

A run of a delivery round (``round_id`` set, made by :mod:`courtyard.services.deliveries.delivery_rounds`) takes
its items, demand and capacity from :func:`courtyard.services.allocation.round_inputs.run_inputs` instead,
for the pledges of the offer the village serves in the county's split; adoptions apply to
campaign-wide runs.
"""


from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import joinedload

from courtyard.allocation import AllocationInputError, allocate_explained
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.localtime import year_start
from courtyard.messages import events as message_events
from courtyard.models import (
    Adoption, AllocationAdjustment, AllocationLine, AllocationRun, Campaign, CapacityDeclaration, Household, Package,
    Pledge,
)
from courtyard.services.allocation import demand_split, round_inputs
from courtyard.services.allocation.allocation_summary import summarise
from courtyard.services.allocation.tiers import current_weights
from courtyard.services.campaigns.campaigns import COUNTED_STATES
from courtyard.services.operations import audit
from courtyard.services.supply import adoptions
from courtyard.services.supply.supply import round_items
from courtyard.services.contracts import terms as contract_terms
from courtyard.services.integrity.sanctions import paused_pairs



def campaign_demand(campaign_id, pledge_ids=None):
    """``{item_id: units}`` the paid and authorised pledges of a campaign call for in ordinary packages.

    ``pledge_ids`` limits it to those pledges (a village's share); adoption packages are left out.
    """
    conditions = [Pledge.campaign_id == campaign_id, Pledge.state.in_(COUNTED_STATES), Package.kind == "standard"]
    if pledge_ids is not None:
        conditions.append(Pledge.id.in_(list(pledge_ids)))
    return round_inputs.package_demand(*conditions)


def prior_income(village_id, campaign_id, now, round_id=None):
    """``{household_id: fen}`` earned this season in published runs of other campaigns, and (for a
    delivery round's run, ``round_id``) in the campaign's other rounds."""
    season_start = year_start(now)
    rows = db.session.execute(
        select(AllocationLine.household_id, func.sum(AllocationLine.units * AllocationLine.price_fen))
        .join(AllocationRun, AllocationLine.run_id == AllocationRun.id)
        .where(AllocationRun.village_id == village_id, AllocationRun.state == "published",
               or_(AllocationRun.campaign_id != campaign_id,
                   and_(AllocationRun.round_id.is_not(None), AllocationRun.round_id != round_id) if round_id else false()),
               AllocationRun.published_at >= season_start)
        .group_by(AllocationLine.household_id)
    ).all()
    earned = {household_id: int(fen) for household_id, fen in rows}
    for household_id, fen in db.session.execute(
        select(Adoption.household_id, func.sum(Adoption.income_fen))
        .join(AllocationRun, Adoption.run_id == AllocationRun.id)
        .where(AllocationRun.village_id == village_id, AllocationRun.state == "published",
               AllocationRun.campaign_id != campaign_id, AllocationRun.published_at >= season_start)
        .group_by(Adoption.household_id)
    ).all():
        earned[household_id] = earned.get(household_id, 0) + int(fen)
    return earned


def create_run(actor, campaign_id, village_id, now):
    """Allocate a campaign's demand among the village's households as a new draft run."""
    if db.session.get(Campaign, campaign_id) is None:
        raise DomainError(_l("Choose a campaign from the list."), "campaign")
    declared = db.session.scalar(select(func.count(CapacityDeclaration.id)).join(Household).where(
        CapacityDeclaration.campaign_id == campaign_id, Household.village_id == village_id, Household.active.is_(True)))
    if not declared:
        raise DomainError(_l("No capacity declared."))
    run = AllocationRun(campaign_id=campaign_id, village_id=village_id, state="draft", created_at=now,
                        created_by_id=getattr(actor, "id", None), summary={})
    db.session.add(run)
    db.session.flush()
    fill_run(run, {}, now)
    audit.record(actor, "allocation_run_created", "allocation_run", run.id, campaign_id=campaign_id)
    db.session.flush()
    return run


def rerun(actor, run, now, keep_pins=True):
    """Allocate again from the current declarations, demand and weights; keep the pins unless told not to."""
    _require_draft(run)
    pins = _pins(run) if keep_pins else {}
    fill_run(run, pins, now)
    audit.record(actor, "allocation_rerun", "allocation_run", run.id, keep_pins=keep_pins, pins=len(pins))
    db.session.flush()


def adjust(actor, run, household_id, item_id, units, reason, now):
    """Pin a household's units of an item by hand, with a reason; the rest is re-balanced around it."""
    _require_draft(run)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give a reason for the change."), "reason")
    line = db.session.scalar(select(AllocationLine).where(
        AllocationLine.run_id == run.id, AllocationLine.household_id == household_id, AllocationLine.item_id == item_id))
    if line is None:
        raise DomainError(_l("This household declared no capacity for this item."), "item")
    if isinstance(units, bool) or not isinstance(units, int) or not 0 <= units <= line.capacity:
        raise DomainError(_l("Enter a whole number of units from 0 to the capacity, %(n)s.", n=line.capacity), "units")
    pins = _pins(run)
    pins[(household_id, item_id)] = (units, reason)
    demand = run.summary.get("items", {}).get(str(item_id), {}).get("demand", 0)
    if sum(u for (h, i), (u, _) in pins.items() if i == item_id) > demand:
        raise DomainError(_l("The pinned units of this item would exceed its demand, %(n)s.", n=demand), "units")
    before = line.units
    fill_run(run, pins, now)
    db.session.add(AllocationAdjustment(run_id=run.id, household_id=household_id, item_id=item_id, before=before,
                                        after=units, reason=reason, actor_id=getattr(actor, "id", None), at=now))
    audit.record(actor, "allocation_adjusted", "allocation_run", run.id, household_id=household_id, item_id=item_id,
                 before=before, after=units, reason=reason)
    db.session.flush()


def unpin(actor, run, household_id, item_id, reason, now):
    """Remove one pin, with a reason: the line is computed again with the others, and the change logged."""
    _require_draft(run)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give a reason for the change."), "reason")
    line = db.session.scalar(select(AllocationLine).where(
        AllocationLine.run_id == run.id, AllocationLine.household_id == household_id, AllocationLine.item_id == item_id))
    if line is None or not line.pinned:
        raise DomainError(_l("This line is not set by hand."), "item")
    before = line.units
    pins = _pins(run)
    del pins[(household_id, item_id)]
    fill_run(run, pins, now)
    after = db.session.scalar(select(AllocationLine.units).where(
        AllocationLine.run_id == run.id, AllocationLine.household_id == household_id, AllocationLine.item_id == item_id))
    db.session.add(AllocationAdjustment(run_id=run.id, household_id=household_id, item_id=item_id, before=before,
                                        after=after or 0, reason=reason, action="unpin",
                                        actor_id=getattr(actor, "id", None), at=now))
    audit.record(actor, "allocation_unpinned", "allocation_run", run.id, household_id=household_id, item_id=item_id,
                 before=before, after=after or 0, reason=reason)
    db.session.flush()


def publish(actor, run, now):
    """Publish a draft run as the village's public notice for the round; one published run per round."""
    _require_draft(run)
    already = db.session.scalar(select(AllocationRun.id).where(
        AllocationRun.campaign_id == run.campaign_id, AllocationRun.village_id == run.village_id,
        AllocationRun.round_id.is_(None) if run.round_id is None else AllocationRun.round_id == run.round_id,
        AllocationRun.state == "published"))
    if already:
        raise DomainError(_l("An allocation of this round is already published for your village."))
    demand_split.fix_for_published(actor, run, now)
    run.state, run.published_at = "published", now
    audit.record(actor, "allocation_published", "allocation_run", run.id)
    message_events.allocation_published(run, now)
    db.session.flush()


def _require_draft(run):
    if run.state != "draft":
        raise DomainError(_l("A published allocation can no longer change."))


def _pins(run):
    return {(l.household_id, l.item_id): (l.units, l.pin_reason) for l in run.lines if l.pinned}


def fill_run(run, pins, now):
    """Run the engine for ``run`` with ``pins`` ({(household, item): (units, reason)}) and replace its lines."""
    households = db.session.scalars(
        select(Household).where(Household.village_id == run.village_id, Household.active.is_(True),
                                Household.id.in_(select(CapacityDeclaration.household_id).where(
                                    CapacityDeclaration.campaign_id == run.campaign_id)))
        .order_by(Household.id)).all()
    weights = current_weights()
    if run.round_id is not None:
        pledge_ids = {pledge_id for pledge_id in demand_split.village_pledge_ids(run.campaign_id, run.village_id)
                      if pledge_id in round_inputs.offer_pledge_ids(run.round)}
        items, demand, declared = round_inputs.run_inputs(run, pledge_ids)
        prior = prior_income(run.village_id, run.campaign_id, now, run.round_id)
        adopted = {}
    else:
        items = round_items(run.campaign_id, kind="standard")
        pledge_ids = demand_split.village_pledge_ids(run.campaign_id, run.village_id)
        demand = campaign_demand(run.campaign_id, pledge_ids)
        declared = {(d.household_id, d.item_id): d.units for d in db.session.scalars(select(CapacityDeclaration).where(
            CapacityDeclaration.campaign_id == run.campaign_id,
            CapacityDeclaration.household_id.in_([h.id for h in households])))}
        prior = prior_income(run.village_id, run.campaign_id, now)
        used, adopted_income, adopted = adoptions.allocate(run, households, declared, weights, prior, pledge_ids)
        declared = {key: units - used.get(key, 0) for key, units in declared.items()}
        prior = {h.id: prior.get(h.id, 0) + adopted_income.get(h.id, 0) for h in households}
    for key in paused_pairs(h.id for h in households):  # a household paused from an item by a county decision
        declared[key] = 0
    instance = {
        "items": [{"id": f"i{item.id}", "price_fen": item.price_fen, "demand": demand.get(item.id, 0)} for item in items],
        "households": [{"id": f"h{h.id}", "weight": weights[h.tier], "prior_income_fen": prior.get(h.id, 0),
                        "capacity": {f"i{item.id}": declared.get((h.id, item.id), 0) for item in items}}
                       for h in households],
        "pinned": [{"household": f"h{h}", "item": f"i{i}", "units": units} for (h, i), (units, _) in sorted(pins.items())],
    }
    try:
        explained = allocate_explained(instance)
    except AllocationInputError as error:
        raise DomainError(_l("The pinned units no longer fit the capacity or the demand; re-run without pins. (%(detail)s)",
                             detail=str(error)), "pins") from error
    prices = {item.id: item.price_fen for item in items}
    covers = contract_terms.covers([h.id for h in households], prices, now)
    run.lines.clear()
    db.session.flush()
    for row in explained["households"]:
        household_id = int(row["household"][1:])
        for entry in row["items"]:
            item_id = int(entry["item"][1:])
            pin = pins.get((household_id, item_id))
            run.lines.append(AllocationLine(
                household_id=household_id, item_id=item_id, units=entry["units"], capacity=entry["capacity"],
                price_fen=contract_terms.unit_price(prices[item_id], covers.get((household_id, item_id))),
                reason=entry["reason"], pinned=pin is not None, pin_reason=pin[1] if pin else ""))
    summary = summarise(explained, lambda engine_id: engine_id[1:])
    summary["levels"] = {row["household"][1:]: row["level"] for row in explained["households"]}
    summary["prior_income_fen"] = {row["household"][1:]: row["prior_income_fen"] for row in explained["households"]}
    summary["adoptions"] = adopted
    summary["packages_served"] = sum(p.quantity for p in db.session.scalars(select(Pledge).where(Pledge.id.in_(pledge_ids))))
    summary["pledge_ids"] = sorted(pledge_ids)
    run.summary = summary
    db.session.flush()


def published_lines_of_household(household_id):
    """The household's allocated lines (units above zero) in published runs, newest first."""
    return db.session.scalars(select(AllocationLine).join(AllocationRun).where(
        AllocationLine.household_id == household_id, AllocationLine.units > 0, AllocationRun.state == "published")
        .order_by(AllocationRun.published_at.desc(), AllocationLine.item_id)).all()


def runs_of_village(village_id):
    """The village's allocation runs, newest first, with their campaign."""
    return db.session.scalars(select(AllocationRun).where(AllocationRun.village_id == village_id)
                              .options(joinedload(AllocationRun.campaign)).order_by(AllocationRun.id.desc())).all()
