"""Delivery plans and rounds: an offer's plan becomes rounds; at each round's cut-off the round is allocated.

A bought package is a subscription: every round of its offer delivers one box per package bought, so
a round's demand is ``paid packages of the offer x the package's contents``.

Allocating a round (:func:`allocate_round`, run by the ``allocate-rounds`` job at the cut-off):

* one published :class:`AllocationRun` (``round_id`` set) per village that declared capacity for the
  campaign. Each village is allocated only the boxes of the pledges it serves, as the campaign-wide
  allocation is: the county's split of the campaign between villages, else its proposal
  (:mod:`courtyard.services.allocation.demand_split`); a pledge is never collected in two villages, and the
  round fixes the village of the pledges it served, as publishing does;
* a household's capacity in a round is its campaign-wide declaration minus what the earlier rounds
  of the campaign already allocated to it;
* a collection day per village (the day before delivery, 09:00, at the village's collection point),
  which the team may change;
* one :class:`Delivery` per delivery address with paid packages, promised by the round's time.

A flexible campaign delivers its paid packages as they come; an all-or-nothing one only once funded.
"""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.localtime import utc_at
from courtyard.messages import events as message_events
from courtyard.models import (
    AllocationRun, CampaignPackage, CapacityDeclaration, CollectionDay, Delivery, DeliveryPlan, DeliveryRound, Household,
    Pledge, PledgeLine, Village,
)
from courtyard.services.allocation import demand_split
from courtyard.services.allocation.allocation_runs import fill_run
from courtyard.services.operations import audit

MAX_ROUNDS = 60
COLLECTION_HOUR = 9
FUNDED_STATES = ("funded", "fulfilling", "done")


def plan_dates(plan):
    """The delivery dates a plan calls for, in order."""
    if plan.dates:
        return sorted({date.fromisoformat(part.strip()) for part in plan.dates.split(",") if part.strip()})
    if plan.window_start and plan.window_end and plan.every_days:
        days, day = [], plan.window_start
        while day <= plan.window_end:
            days.append(day)
            day += timedelta(days=plan.every_days)
        return days
    return []


def set_plan(actor, offer_id, now, *, dates=(), window_start=None, window_end=None, every_days=None,
             cutoff_days=3, delivery_hour=18):
    """Save an offer's delivery plan and regenerate its rounds that are not allocated yet; returns the plan.

    Give either explicit ``dates`` or a window (``window_start``, ``window_end``, ``every_days``).
    Rounds already allocated stay; new rounds are only made for dates after the last of them and
    whose cut-off is still ahead.
    """
    offer = db.session.get(CampaignPackage, offer_id)
    if offer is None:
        raise DomainError(_l("Choose a package from the list."), "offer")
    dates = sorted(set(dates or ()))
    if not dates:
        if not (window_start and window_end and every_days):
            raise DomainError(_l("Give the delivery dates, or a window with a rhythm."), "dates")
        if window_end < window_start:
            raise DomainError(_l("The window must end on or after its start."), "window_end")
        if not 1 <= every_days <= 366:
            raise DomainError(_l("Enter a number of days from 1 to 366."), "every_days")
    if not 0 <= cutoff_days <= 30:
        raise DomainError(_l("Enter a number of days from 0 to 30."), "cutoff_days")
    if not 0 <= delivery_hour <= 23:
        raise DomainError(_l("Enter an hour from 0 to 23."), "delivery_hour")
    plan = db.session.scalar(select(DeliveryPlan).where(DeliveryPlan.offer_id == offer.id)) or DeliveryPlan(offer_id=offer.id)
    plan.dates = ",".join(day.isoformat() for day in dates)
    plan.window_start, plan.window_end = (None, None) if dates else (window_start, window_end)
    plan.every_days = None if dates else every_days
    plan.cutoff_days, plan.delivery_hour = cutoff_days, delivery_hour
    db.session.add(plan)
    db.session.flush()
    wanted = plan_dates(plan)
    if len(wanted) > MAX_ROUNDS:
        db.session.rollback()
        raise DomainError(_l("At most %(n)s rounds per package.", n=MAX_ROUNDS), "dates")
    db.session.execute(delete(DeliveryRound).where(DeliveryRound.offer_id == offer.id, DeliveryRound.state == "scheduled"))
    kept = db.session.scalars(select(DeliveryRound).where(DeliveryRound.offer_id == offer.id)
                              .order_by(DeliveryRound.number)).all()
    number = kept[-1].number if kept else 0
    last_day = kept[-1].delivers_on if kept else None
    made = 0
    for day in wanted:
        cutoff = utc_at(day - timedelta(days=plan.cutoff_days), 0)
        if (last_day and day <= last_day) or cutoff <= now:
            continue
        number += 1
        made += 1
        db.session.add(DeliveryRound(campaign_id=offer.campaign_id, offer_id=offer.id, number=number, delivers_on=day,
                                     cutoff_at=cutoff, promised_by=utc_at(day, plan.delivery_hour), state="scheduled"))
    audit.record(actor, "delivery_plan_set", "campaign_package", offer.id, dates=plan.dates, every_days=plan.every_days,
                 cutoff_days=cutoff_days, rounds=made)
    db.session.commit()
    return plan


def due_rounds(now):
    """Scheduled rounds whose cut-off has come."""
    return db.session.scalars(select(DeliveryRound).where(DeliveryRound.state == "scheduled",
                                                          DeliveryRound.cutoff_at <= now)
                              .order_by(DeliveryRound.cutoff_at, DeliveryRound.id)).all()


def allocate_due_rounds(now):
    """The ``allocate-rounds`` job: allocate every round whose cut-off has come; safe to run twice."""
    done = 0
    for round_ in due_rounds(now):
        try:
            if allocate_round(None, round_, now):
                done += 1
        except DomainError:
            db.session.rollback()
    return done


def allocate_round(actor, round_, now):
    """Allocate a round among the villages, set collection days, schedule deliveries; False if done before."""
    campaign = round_.campaign
    if campaign.state == "failed":
        raise DomainError(_l("The campaign did not reach its goal; nothing is delivered."))
    if campaign.mode == "all_or_nothing" and campaign.state not in FUNDED_STATES:
        raise DomainError(_l("An all-or-nothing campaign delivers only once it has reached its goal."))
    claimed = db.session.execute(update(DeliveryRound).where(DeliveryRound.id == round_.id,
                                                             DeliveryRound.state == "scheduled")
                                 .values(state="allocated", allocated_at=now)
                                 .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.rollback()
        return False
    db.session.refresh(round_)
    villages = db.session.scalars(select(Village).where(Village.id.in_(
        select(Household.village_id).join(CapacityDeclaration).where(
            CapacityDeclaration.campaign_id == round_.campaign_id, Household.active.is_(True))))
        .order_by(Village.id)).all()
    for village in villages:
        run = AllocationRun(campaign_id=round_.campaign_id, village_id=village.id, round_id=round_.id, state="draft",
                            created_at=now, created_by_id=getattr(actor, "id", None), summary={})
        db.session.add(run)
        db.session.flush()
        fill_run(run, {}, now)
        demand_split.fix_for_published(actor, run, now)
        run.state, run.published_at = "published", now
        if any(line.units for line in run.lines):
            db.session.add(CollectionDay(round_id=round_.id, village_id=village.id,
                                         starts_at=utc_at(round_.delivers_on - timedelta(days=1), COLLECTION_HOUR),
                                         place=default_place(village)))
        audit.record(actor, "round_allocated", "allocation_run", run.id, round_id=round_.id, village_id=village.id)
        message_events.round_run_published(round_, run, now)
    _schedule_deliveries(round_, now)
    db.session.commit()
    return True


def default_place(village):
    """The village's collection point (统一分拣点), until the team names another."""
    return f"{village.name}村委会统一分拣点" if not village.name.endswith("村") else f"{village.name}委会统一分拣点"


def _schedule_deliveries(round_, now):
    from courtyard.services.deliveries.deliveries import notify_scheduled

    rows = db.session.execute(
        select(Pledge.unit_id, PledgeLine.address_id).join(Pledge, PledgeLine.pledge_id == Pledge.id)
        .where(PledgeLine.offer_id == round_.offer_id, Pledge.state == "paid")
        .group_by(Pledge.unit_id, PledgeLine.address_id).order_by(Pledge.unit_id, PledgeLine.address_id)).all()
    for unit_id, address_id in rows:
        delivery = Delivery(round_id=round_.id, unit_id=unit_id, address_id=address_id, state="scheduled",
                            promised_by=round_.promised_by, created_at=now)
        db.session.add(delivery)
        db.session.flush()
        notify_scheduled(delivery, now)
