"""Host households of a visit: visitors are shared among them poorest first, and each earns its fee.

The sharing uses the fair-allocation engine (``courtyard.allocation``) with one item, "visitor
seats": demand is the confirmed visitors (the attended ones once the visit is done), each host's
capacity is how many visitors it can receive, its weight comes from its tier and its prior income
is what it earned this season (published allocation runs and the host fees of visits already
done). The price of a seat is the visit's fee per visitor, so a host earns ``visitors x fee``.
A visit without a fee still shares its visitors by tier weight alone (price 1 fen, no prior
income), since nobody earns money from it.
"""


from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from courtyard.allocation import allocate
from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.localtime import year_start
from courtyard.models import Household, Visit, VisitHost
from courtyard.services.allocation.allocation_runs import prior_income
from courtyard.services.allocation.tiers import current_weights
from courtyard.services.operations import audit

MAX_HOST_CAPACITY = 100
NO_CAMPAIGN = 0  # prior_income leaves out one campaign; no campaign has id 0


def season_income(village_id, now, *, except_visit_id=None):
    """``{household_id: fen}`` earned this season from allocation runs and from hosting done visits."""
    income = prior_income(village_id, NO_CAMPAIGN, now)
    season_start = year_start(now)
    rows = db.session.execute(
        select(VisitHost.household_id, func.sum(VisitHost.fee_fen)).join(Visit, VisitHost.visit_id == Visit.id)
        .where(Visit.village_id == village_id, Visit.state == "done", Visit.done_at >= season_start,
               Visit.id != (except_visit_id or 0))
        .group_by(VisitHost.household_id)
    ).all()
    for household_id, fee in rows:
        income[household_id] = income.get(household_id, 0) + int(fee)
    return income


def set_hosts(actor, visit, capacities, now):
    """Replace the visit's hosts with ``{household_id: visitors it can receive}`` (0 leaves a household out)."""
    if visit.state not in ("scheduled", "rescheduled"):
        raise DomainError(_l("This visit is cancelled or already done."))
    households = {h.id: h for h in db.session.scalars(select(Household).where(
        Household.id.in_(list(capacities)), Household.village_id == visit.village_id, Household.active.is_(True)))}
    for household_id, capacity in capacities.items():
        if household_id not in households:
            raise DomainError(_l("Choose households of the visit's village."), "hosts")
        if capacity is None or not 0 <= capacity <= MAX_HOST_CAPACITY:
            raise DomainError(_l("Enter 0 to %(n)s visitors.", n=MAX_HOST_CAPACITY), f"h{household_id}")
    wanted = {h: c for h, c in capacities.items() if c}
    for host in list(visit.hosts):
        if host.household_id not in wanted:
            visit.hosts.remove(host)
    existing = {host.household_id: host for host in visit.hosts}
    for household_id, capacity in sorted(wanted.items()):
        host = existing.get(household_id)
        if host is None:
            visit.hosts.append(VisitHost(household_id=household_id, capacity=capacity, visitors=0, fee_fen=0))
        else:
            host.capacity, host.visitors = capacity, min(host.visitors, capacity)
    db.session.flush()
    share_visitors(visit, now)
    audit.record(actor, "visit_hosts_set", "visit", visit.id, hosts={str(h): c for h, c in sorted(wanted.items())})
    db.session.commit()


def share_visitors(visit, now, visitors=None):
    """Share ``visitors`` (default: the confirmed seats) among the hosts, poorest first; the caller commits."""
    hosts = sorted(visit.hosts, key=lambda host: host.household_id)
    if not hosts:
        return
    demand = visit.seats_taken if visitors is None else visitors
    paid = visit.fee_fen > 0
    weights = current_weights()
    prior = season_income(visit.village_id, now, except_visit_id=visit.id) if paid else {}
    result = allocate({
        "items": [{"id": "seat", "price_fen": visit.fee_fen if paid else 1, "demand": demand}],
        "households": [{"id": f"h{host.household_id}", "weight": weights[host.household.tier],
                        "prior_income_fen": prior.get(host.household_id, 0), "capacity": {"seat": host.capacity}}
                       for host in hosts],
    })
    given = {row["household"]: row["units"] for row in result["allocation"]}
    for host in hosts:
        host.visitors = given.get(f"h{host.household_id}", 0)
        host.fee_fen = host.visitors * visit.fee_fen
    db.session.flush()


def host_capacity(visit):
    return sum(host.capacity for host in visit.hosts)


def host_fees(visit):
    """``[(household_id, fee_fen)]`` each host earned, for a visit marked done (else ``[]``).

    For the ledger: post each fee as the household's income from hosting, once per visit.
    """
    if visit.state != "done":
        return []
    return [(host.household_id, host.fee_fen) for host in sorted(visit.hosts, key=lambda h: h.household_id)
            if host.fee_fen > 0]
