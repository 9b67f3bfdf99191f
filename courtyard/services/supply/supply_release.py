"""A pledge withdrawn after allocation (cancelled, or refunded in full): its quantities go back.

:func:`release_pledge` is called in the transaction that cancels or refunds the pledge:

* a **draft** campaign-wide run that served the pledge is computed again without it (its pins kept
  when they still fit);
* a **published** campaign-wide run (unless boxes of the pledge were already collected or sent, for
  instance a refund after a complaint: the notice then stays what the households supplied), and the
  run of every **delivery round still open** (allocated, not yet collected) that served it, gives
  back the pledge's units: the run's demand of each item
  drops by what the pledge called for and, by the shortfall rule the other way round, the units
  come off the households with the highest level first (the engine allocates the smaller demand
  within what each household was given, poorest first). A shortfall the run already had absorbs the
  drop first. Every changed line is logged as an adjustment (``release``) with the reason, and the
  run's summary is brought up to date; the pledge's adoptions in the run are given up;
* in those open rounds, a scheduled delivery to an address no other live pledge of the unit sends
  boxes of the round's offer to is called off (deleted, audited); rounds already collected and
  delivered keep their history;
* the households whose units changed and the village's team are told
  (:func:`courtyard.messages.supply_notices.allocation_released`), and an audit event is kept per run.
"""

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from courtyard.allocation import allocate
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.messages import supply_notices
from courtyard.models import (
    AllocationAdjustment, AllocationRun, CampaignPackage, Delivery, DeliveryRound, Household, Package, PackageItem,
    Pledge, PledgeLine,
)
from courtyard.services.allocation.tiers import current_weights
from courtyard.services.operations import audit
from courtyard.services.supply.collection_shortfall import refresh_summary

OPEN_ROUND_STATES = ("allocated",)


def release_pledge(actor, pledge, now, reason):
    """Give back what ``pledge`` took in allocation runs and open rounds; returns the runs changed."""
    from courtyard.services.allocation.allocation_runs import fill_run

    changed = []
    supplied = _already_supplied(pledge)
    for run in _runs_serving(pledge):
        if run.state == "published" and run.round_id is None and supplied:
            audit.record(actor, "allocation_kept", "allocation_run", run.id, pledge_id=pledge.id, reason=reason)
            continue  # its boxes have gone out: the notice stays what the households supplied
        if run.state == "draft":
            before = {(l.household_id, l.item_id): l.units for l in run.lines}
            pins = {(l.household_id, l.item_id): (l.units, l.pin_reason) for l in run.lines if l.pinned}
            try:
                fill_run(run, pins, now)
            except DomainError:
                fill_run(run, {}, now)
            after = {(l.household_id, l.item_id): l.units for l in run.lines}
            changes = {key: (units, after.get(key, 0)) for key, units in before.items() if after.get(key, 0) != units}
        else:
            changes = _release_published(actor, run, pledge, now, reason)
        audit.record(actor, "allocation_released", "allocation_run", run.id, pledge_id=pledge.id, reason=reason,
                     changes={f"{h}:{i}": list(units) for (h, i), units in changes.items()})
        supply_notices.allocation_released(run, pledge, changes, reason, now)
        changed.append(run)
    _call_off_deliveries(actor, pledge)
    db.session.flush()
    return changed


def _call_off_deliveries(actor, pledge):
    """Delete the scheduled deliveries of open rounds that only this pledge still filled."""
    for line in pledge.lines:
        still_sent = db.session.scalar(select(func.count(PledgeLine.id)).join(Pledge, PledgeLine.pledge_id == Pledge.id).where(
            PledgeLine.offer_id == line.offer_id, PledgeLine.address_id == line.address_id, Pledge.id != pledge.id,
            Pledge.unit_id == pledge.unit_id, Pledge.state == "paid", Pledge.refunded_fen < Pledge.total_fen))
        if still_sent:
            continue
        for delivery in db.session.scalars(select(Delivery).join(DeliveryRound, Delivery.round_id == DeliveryRound.id).where(
                DeliveryRound.offer_id == line.offer_id, DeliveryRound.state.in_(OPEN_ROUND_STATES),
                Delivery.unit_id == pledge.unit_id, Delivery.address_id == line.address_id,
                Delivery.state == "scheduled")).all():
            audit.record(actor, "delivery_called_off", "delivery", delivery.id, round_id=delivery.round_id,
                         pledge_id=pledge.id)
            db.session.delete(delivery)


def _already_supplied(pledge):
    """Whether boxes of the pledge's unit to its addresses have been collected or sent already."""
    offers, addresses = {l.offer_id for l in pledge.lines}, {l.address_id for l in pledge.lines}
    return bool(db.session.scalar(select(func.count(Delivery.id)).join(DeliveryRound, Delivery.round_id == DeliveryRound.id)
                                  .where(DeliveryRound.offer_id.in_(offers), Delivery.unit_id == pledge.unit_id,
                                         Delivery.address_id.in_(addresses), Delivery.state != "scheduled")))


def _runs_serving(pledge):
    """Draft and published campaign-wide runs, and runs of rounds still open, whose summary names the pledge."""
    runs = db.session.scalars(select(AllocationRun).outerjoin(DeliveryRound, AllocationRun.round_id == DeliveryRound.id)
                              .where(AllocationRun.campaign_id == pledge.campaign_id,
                                     (AllocationRun.round_id.is_(None)) | DeliveryRound.state.in_(OPEN_ROUND_STATES))
                              .order_by(AllocationRun.id)).all()
    return [run for run in runs if pledge.id in run.summary.get("pledge_ids", [])]


def pledge_units(pledge, round_=None):
    """``{item_id: units}`` the pledge called for in ordinary packages (of the round's offer, for a round)."""
    conditions = [PledgeLine.pledge_id == pledge.id, Package.kind == "standard"]
    if round_ is not None:
        conditions.append(PledgeLine.offer_id == round_.offer_id)
    rows = db.session.execute(
        select(PackageItem.item_id, func.sum(PledgeLine.quantity * PackageItem.quantity))
        .join(CampaignPackage, PledgeLine.offer_id == CampaignPackage.id)
        .join(Package, CampaignPackage.package_id == Package.id)
        .join(PackageItem, PackageItem.package_id == CampaignPackage.package_id)
        .where(*conditions).group_by(PackageItem.item_id)).all()
    return {item_id: int(units) for item_id, units in rows}


def _release_published(actor, run, pledge, now, reason):
    """Lower the run's demand by the pledge's units and take them off the best-off households first."""
    needs = pledge_units(pledge, run.round)
    summary = dict(run.summary)
    items = {key: dict(row) for key, row in summary.get("items", {}).items()}
    for item_id, units in needs.items():
        if str(item_id) in items:
            items[str(item_id)]["demand"] = max(items[str(item_id)]["demand"] - units, 0)
    summary["items"] = items
    summary["pledge_ids"] = [p for p in summary.get("pledge_ids", []) if p != pledge.id]
    summary["packages_served"] = max(summary.get("packages_served", 0) - pledge.quantity, 0)
    changes = {}
    weights = current_weights()
    tiers = dict(db.session.execute(select(Household.id, Household.tier).where(
        Household.id.in_({l.household_id for l in run.lines}))).all())
    prior = summary.get("prior_income_fen", {})
    for key, row in items.items():
        lines = [l for l in run.lines if str(l.item_id) == key and l.units > 0]
        if sum(l.units for l in lines) <= row["demand"]:
            continue
        result = allocate({
            "items": [{"id": "item", "price_fen": lines[0].price_fen, "demand": row["demand"]}],
            "households": [{"id": str(l.household_id), "weight": weights[tiers[l.household_id]],
                            "prior_income_fen": prior.get(str(l.household_id), 0),
                            "capacity": {"item": l.units}} for l in lines]})
        kept = {int(r["household"]): r["units"] for r in result["allocation"]}
        for line in lines:
            after = kept.get(line.household_id, 0)
            if after != line.units:
                changes[(line.household_id, line.item_id)] = (line.units, after)
                db.session.add(AllocationAdjustment(run_id=run.id, household_id=line.household_id, item_id=line.item_id,
                                                    before=line.units, after=after, reason=reason, action="release",
                                                    actor_id=getattr(actor, "id", None), at=now))
                line.units = after
    given_up = [a for a in run.adoptions if a.pledge_line.pledge_id == pledge.id]
    for adoption in given_up:
        changes[(adoption.household_id, f"adoption:{adoption.package_id}")] = (1, 0)
        run.adoptions.remove(adoption)
    if given_up:
        adopted = {key: dict(row) for key, row in summary.get("adoptions", {}).items()}
        for adoption in given_up:
            row = adopted.get(str(adoption.package_id))
            if row:
                row["demand"], row["allocated"] = row["demand"] - 1, row["allocated"] - 1
        summary["adoptions"] = adopted
    run.summary = summary
    refresh_summary(run)
    return changes


def release_reason(pledge):
    """The reason written on each released line, in Chinese like the rest of the log."""
    with force_locale("zh_Hans"):
        return gettext("Pledge %(reference)s was withdrawn (cancelled or refunded)", reference=pledge.reference)
