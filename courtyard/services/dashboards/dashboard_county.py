"""The county's dashboard: funding, money, households' income and its spread, deliveries, complaints, visits.

``county_dashboard(filters, now)`` returns plain data; the page, the charts, the CSV/XLSX exports and
the monthly PDF report all render it. Every figure comes from a few GROUP BY queries, so the page stays
quick for a county of 30,000 households. A work team's dashboard is the same data with the village fixed.

Filters narrow the figures: the period (local dates) always; township and village narrow income and
visits (deliveries and money belong to units, not villages, so those stay county-wide); a campaign
narrows everything that belongs to one.
"""

from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from sqlalchemy import and_, case, func, select

from courtyard.extensions import db
from courtyard.models import (
    TIERS, Campaign, CampaignPackage, DashboardEarning, DashboardMoney, Delivery, DeliveryComplaint, DeliveryRound,
    Household, LedgerEntry, LedgerTransaction, Pledge, Township, Village, Visit, VisitRegistration,
)
from courtyard.models.pledges import HOLDING_STATES
from courtyard.services.allocation.allocation_summary import gini
from courtyard.services.dashboards.dashboard_summary import summary_state
from courtyard.services.money.ledger import KIND, ORIGINAL
from courtyard.services.money.reconciliation import RECEIPT_KINDS
from courtyard.services.money.statements import EARNING_KINDS

DASHBOARD_CAMPAIGN_STATES = ("open", "funded", "failed", "fulfilling", "done")


@dataclass(frozen=True)
class DashboardFilters:
    period: object  # courtyard.services.money.statements.Period
    township_id: int | None = None
    village_id: int | None = None
    campaign_id: int | None = None


@dataclass(frozen=True)
class CampaignProgress:
    id: int
    title: str
    state: str
    goal_kind: str  # "packages" or "fen"
    goal_value: int
    packages: int  # held or paid
    pledged_fen: int  # held or paid

    @property
    def percent(self):
        done = self.packages if self.goal_kind == "packages" else self.pledged_fen
        return round(100 * done / self.goal_value) if self.goal_value else 0


@dataclass(frozen=True)
class Spread:
    """Households' income in a group: reach, average and how evenly it is shared."""
    key: object
    label: str
    reached: int
    earned_fen: int
    lowest_fen: int
    median_fen: int
    highest_fen: int
    gini: float

    @property
    def average_fen(self):
        return self.earned_fen // self.reached if self.reached else 0


@dataclass(frozen=True)
class Money:
    pledged_fen: int
    captured_fen: int
    refunded_fen: int


@dataclass(frozen=True)
class Deliveries:
    delivered: int
    on_time: int
    complaints_open: int
    complaints_closed: int

    @property
    def percent(self):
        return round(100 * self.on_time / self.delivered) if self.delivered else None


@dataclass(frozen=True)
class Visits:
    held: int  # done in the period
    upcoming: int  # scheduled or moved, starting in the period
    cancelled: int
    registered: int  # confirmed representatives of visits in the period
    attended: int
    no_show: int

    @property
    def attendance_percent(self):
        marked = self.attended + self.no_show
        return round(100 * self.attended / marked) if marked else None


@dataclass(frozen=True)
class CountyDashboard:
    filters: DashboardFilters
    campaigns: tuple[CampaignProgress, ...]
    money: Money
    overall: Spread
    by_village: tuple[Spread, ...]
    by_tier: tuple[Spread, ...]
    deliveries: Deliveries
    visits: Visits
    summary_as_of: object = None  # when the ledger summary was last refreshed (UTC), None if never
    drawn_at: object = None  # when these figures were computed (UTC)


def county_dashboard(filters, now, *, tier_labels=None):
    """Every figure of the county's dashboard for ``filters`` (``now`` is when it is drawn).

    Ledger figures read the summary (:mod:`courtyard.services.dashboards.dashboard_summary`) up to its watermark and
    the ledger itself after it, so they are exact whenever the summary was last refreshed.
    """
    state = summary_state()
    cutoff = state.summarised_before if state else None
    overall, by_village, by_tier = income_spread(filters, tier_labels=tier_labels, cutoff=cutoff)
    return CountyDashboard(filters=filters, campaigns=campaign_progress(filters), money=money(filters, cutoff),
                           overall=overall, by_village=by_village, by_tier=by_tier,
                           deliveries=deliveries(filters), visits=visits(filters),
                           summary_as_of=state.refreshed_at if state else None, drawn_at=now)


def campaign_progress(filters):
    """Campaigns open during the period (or the chosen one) with packages and money pledged so far."""
    start, end = filters.period.bounds_utc()
    query = select(Campaign).where(Campaign.state.in_(DASHBOARD_CAMPAIGN_STATES))
    if filters.campaign_id:
        query = query.where(Campaign.id == filters.campaign_id)
    else:
        query = query.where(Campaign.opens_at < end, Campaign.closes_at >= start)
    campaigns = db.session.scalars(query.order_by(Campaign.closes_at.desc(), Campaign.id)).all()
    ids = [c.id for c in campaigns]
    sold = dict(db.session.execute(select(CampaignPackage.campaign_id, func.sum(CampaignPackage.sold))
                                   .where(CampaignPackage.campaign_id.in_(ids))
                                   .group_by(CampaignPackage.campaign_id)).all())
    pledged = dict(db.session.execute(select(Pledge.campaign_id, func.sum(Pledge.total_fen - Pledge.refunded_fen))
                                      .where(Pledge.campaign_id.in_(ids), Pledge.state.in_(HOLDING_STATES))
                                      .group_by(Pledge.campaign_id)).all())
    return tuple(CampaignProgress(c.id, c.title, c.state, c.goal_kind, c.goal_value, int(sold.get(c.id) or 0),
                                  int(pledged.get(c.id) or 0)) for c in campaigns)


def money(filters, cutoff=None):
    """Pledged in the period (held or paid), and what the ledger shows captured and refunded in it.

    The ledger's part comes from the summary for transactions recorded before ``cutoff`` and live after it.
    """
    start, end = filters.period.bounds_utc()
    pledge_query = select(func.coalesce(func.sum(Pledge.total_fen), 0)).where(
        Pledge.state.in_(HOLDING_STATES), Pledge.created_at >= start, Pledge.created_at < end)
    ledger_query = (select(KIND, func.coalesce(func.sum(LedgerEntry.amount_fen), 0))
                    .join(LedgerTransaction, LedgerEntry.transaction_id == LedgerTransaction.id)
                    .outerjoin(ORIGINAL, ORIGINAL.id == LedgerTransaction.reverses_id)
                    .where(LedgerEntry.account == "unit_funds", LedgerTransaction.occurred_at >= start,
                           LedgerTransaction.occurred_at < end).group_by(KIND))
    summary_query = (select(DashboardMoney.kind, func.sum(DashboardMoney.amount_fen))
                     .where(DashboardMoney.day >= filters.period.start, DashboardMoney.day < filters.period.end)
                     .group_by(DashboardMoney.kind))
    if filters.campaign_id:
        pledge_query = pledge_query.where(Pledge.campaign_id == filters.campaign_id)
        ledger_query = ledger_query.where(LedgerEntry.campaign_id == filters.campaign_id)
        summary_query = summary_query.where(DashboardMoney.campaign_id == filters.campaign_id)
    by_kind = defaultdict(int)
    queries = [ledger_query] if cutoff is None else [ledger_query.where(LedgerTransaction.recorded_at >= cutoff),
                                                     summary_query]
    for query in queries:
        for kind, amount in db.session.execute(query):
            by_kind[kind] += int(amount)
    return Money(pledged_fen=int(db.session.scalar(pledge_query)),
                 captured_fen=-sum(int(v) for k, v in by_kind.items() if k in RECEIPT_KINDS),
                 refunded_fen=int(by_kind.get("refund", 0)))


def spread(key, label, earnings):
    """The reach, average, lowest, median, highest and Gini of the households that earned something."""
    reached = sorted(amount for amount in earnings if amount > 0)
    if not reached:
        return Spread(key, label, 0, 0, 0, 0, 0, 0.0)
    return Spread(key, label, len(reached), sum(reached), reached[0], int(median(reached)), reached[-1],
                  round(gini(reached), 4))


def _place_conditions(filters):
    if filters.village_id:
        return [Household.village_id == filters.village_id]
    if filters.township_id:
        return [Household.village_id.in_(select(Village.id).where(Village.township_id == filters.township_id))]
    return []


def earnings(filters, cutoff=None):
    """{household id: (village id, tier, fen earned in the period)} for every household with earnings movements.

    Earnings are goods accepted and hosting fees less their reversals; transactions recorded before
    ``cutoff`` are read from the summary, the rest live from the ledger.
    """
    start, end = filters.period.bounds_utc()
    grouped = (Household.id, Household.village_id, Household.tier)
    conditions = _place_conditions(filters)
    live = (select(*grouped, -func.sum(LedgerEntry.amount_fen))
            .select_from(LedgerEntry).join(LedgerTransaction, LedgerEntry.transaction_id == LedgerTransaction.id)
            .outerjoin(ORIGINAL, ORIGINAL.id == LedgerTransaction.reverses_id)
            .join(Household, Household.id == LedgerEntry.household_id)
            .where(LedgerEntry.account == "household_payable", LedgerTransaction.occurred_at >= start,
                   LedgerTransaction.occurred_at < end, KIND.in_(EARNING_KINDS), *conditions).group_by(*grouped))
    per_household = (select(DashboardEarning.household_id, func.sum(DashboardEarning.earned_fen).label("earned"))
                     .where(DashboardEarning.day >= filters.period.start, DashboardEarning.day < filters.period.end)
                     .group_by(DashboardEarning.household_id))  # sum by id first, then join: half the work
    if conditions:
        per_household = per_household.where(DashboardEarning.household_id.in_(select(Household.id).where(*conditions)))
    if filters.campaign_id:
        live = live.where(LedgerEntry.campaign_id == filters.campaign_id)
        per_household = per_household.where(DashboardEarning.campaign_id == filters.campaign_id)
    per_household = per_household.subquery()
    summary = select(*grouped, per_household.c.earned).join(per_household, per_household.c.household_id == Household.id)
    queries = [live] if cutoff is None else [live.where(LedgerTransaction.recorded_at >= cutoff), summary]
    found = {}
    connection = db.session.connection()  # plain rows: tens of thousands of them, no ORM work needed
    for query in queries:
        for household_id, village_id, tier, added in connection.execute(query).all():
            before = found.get(household_id, (village_id, tier, 0))[2]
            found[household_id] = (village_id, tier, before + int(added))
    return found


def income_spread(filters, *, tier_labels=None, cutoff=None):
    """Households' earnings in the period: overall, by village and by tier."""
    found = earnings(filters, cutoff)
    earned = {household_id: amount for household_id, (_v, _t, amount) in found.items()}
    households = {household_id: (village_id, tier) for household_id, (village_id, tier, _a) in found.items()}
    villages = dict(db.session.execute(select(Village.id, Township.name + " " + Village.name).join(Township)
                                       .where(Village.id.in_({v for v, _ in households.values()}))).all())
    per_village, per_tier = defaultdict(list), defaultdict(list)
    for household_id, amount in earned.items():
        village_id, tier = households[household_id]
        per_village[village_id].append(amount)
        per_tier[tier].append(amount)
    by_village = tuple(sorted((spread(v, villages[v], amounts) for v, amounts in per_village.items()),
                              key=lambda s: s.label))
    by_tier = tuple(spread(t, str((tier_labels or {}).get(t, t)), per_tier[t]) for t in TIERS if t in per_tier)
    return spread(None, "", earned.values()), by_village, by_tier


def deliveries(filters):
    """Deliveries that arrived in the period and how many on time; complaints still open and closed in it."""
    start, end = filters.period.bounds_utc()
    arrived = select(func.count(Delivery.id), func.coalesce(func.sum(case(
        (Delivery.delivered_at <= Delivery.promised_by, 1), else_=0)), 0)).where(
        Delivery.delivered_at >= start, Delivery.delivered_at < end)
    open_query = select(func.count(DeliveryComplaint.id)).join(Delivery, DeliveryComplaint.delivery_id == Delivery.id).where(
        DeliveryComplaint.resolved_at.is_(None), DeliveryComplaint.reported_at < end)
    closed_query = select(func.count(DeliveryComplaint.id)).join(Delivery, DeliveryComplaint.delivery_id == Delivery.id).where(
        DeliveryComplaint.resolved_at >= start, DeliveryComplaint.resolved_at < end)
    if filters.campaign_id:
        in_campaign = Delivery.round_id.in_(select(DeliveryRound.id).where(
            DeliveryRound.campaign_id == filters.campaign_id))
        arrived, open_query, closed_query = (q.where(in_campaign) for q in (arrived, open_query, closed_query))
    delivered, on_time = db.session.execute(arrived).one()
    return Deliveries(int(delivered), int(on_time), db.session.scalar(open_query), db.session.scalar(closed_query))


def visits(filters):
    """Picking visits starting in the period by outcome, with confirmed representatives and attendance."""
    start, end = filters.period.bounds_utc()
    conditions = [Visit.starts_at >= start, Visit.starts_at < end]
    if filters.village_id:
        conditions.append(Visit.village_id == filters.village_id)
    elif filters.township_id:
        conditions.append(Visit.village_id.in_(select(Village.id).where(Village.township_id == filters.township_id)))
    if filters.campaign_id:
        conditions.append(Visit.campaign_id == filters.campaign_id)
    by_state = dict(db.session.execute(select(Visit.state, func.count(Visit.id)).where(*conditions)
                                       .group_by(Visit.state)).all())
    people = dict(db.session.execute(  # attendance None: not marked yet
        select(VisitRegistration.attendance, func.count(VisitRegistration.id))
        .join(Visit).where(and_(*conditions), VisitRegistration.state == "confirmed")
        .group_by(VisitRegistration.attendance)).all())
    return Visits(held=by_state.get("done", 0), upcoming=by_state.get("scheduled", 0) + by_state.get("rescheduled", 0),
                  cancelled=by_state.get("cancelled", 0), registered=sum(people.values()),
                  attended=people.get("attended", 0), no_show=people.get("no_show", 0))
