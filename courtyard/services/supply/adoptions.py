"""Adoption (认养) packages: a unit adopts a goose or a plot, raised whole by one household.

An adoption package is allocated in whole adoptions, never split across households, by the same
poorest-first rule as everything else: each adoption package is one "item" for the engine whose
price is what the household is paid for the package's contents and whose capacity per household is
how many whole packages its declarations cover. Adoptions are allocated before the ordinary items
of the run (one package after another, in package order), and what they use of a household's
declared units and the income they bring are taken into account when the rest is allocated.

The engine gives each household a number of adoptions; the adoptions of the village's pledges
(oldest pledge first) are then handed to the households in that order, one :class:`Adoption` row
per adopted package. Once the run is published the unit sees which household raises its adoption
(masked name and village) and the household sees which unit adopted what.
"""

from sqlalchemy import select

from courtyard.allocation import allocate_explained
from courtyard.extensions import db
from courtyard.models import Adoption, AllocationRun, CampaignPackage, Package, Pledge, PledgeLine
from courtyard.text.masking import mask_name


def adoption_lines(pledge_ids):
    """The pledge lines of adoption packages among ``pledge_ids``, oldest pledge first."""
    if not pledge_ids:
        return []
    return db.session.scalars(
        select(PledgeLine).join(Pledge, PledgeLine.pledge_id == Pledge.id)
        .join(CampaignPackage, PledgeLine.offer_id == CampaignPackage.id)
        .join(Package, CampaignPackage.package_id == Package.id)
        .where(PledgeLine.pledge_id.in_(list(pledge_ids)), Package.kind == "adoption")
        .order_by(Pledge.created_at, Pledge.id, PledgeLine.id)).all()


def allocate(run, households, declared, weights, prior, pledge_ids):
    """Replace the run's adoptions; return ``(used, income, summary)``.

    ``declared`` is ``{(household_id, item_id): units}``, ``prior`` ``{household_id: fen}``;
    ``used`` is what the adoptions take of ``declared``, ``income`` ``{household_id: fen}`` and
    ``summary`` ``{package_id: {"demand", "allocated", "shortfall"}}`` (string keys, for JSON).
    """
    run.adoptions.clear()
    db.session.flush()
    lines = adoption_lines(pledge_ids)
    by_package = {}
    for line in lines:
        by_package.setdefault(line.offer.package_id, []).append(line)
    left, income, summary = dict(declared), {}, {}
    for package_id in sorted(by_package):
        package = db.session.get(Package, package_id)
        share = package.household_share_fen
        demand = sum(line.quantity for line in by_package[package_id])

        def whole(household_id):
            return min((left.get((household_id, l.item_id), 0) // l.quantity for l in package.lines), default=0)

        result = allocate_explained({
            "items": [{"id": "adoption", "price_fen": share, "demand": demand}],
            "households": [{"id": f"h{h.id}", "weight": weights[h.tier],
                            "prior_income_fen": prior.get(h.id, 0) + income.get(h.id, 0),
                            "capacity": {"adoption": whole(h.id)}} for h in households],
        })
        given = {int(row["household"][1:]): row["units"] for row in result["allocation"]}
        queue = [household_id for household_id in sorted(given) for _ in range(given[household_id])]
        for line in by_package[package_id]:
            for number in range(1, line.quantity + 1):
                if not queue:
                    break
                household_id = queue.pop(0)
                run.adoptions.append(Adoption(pledge_line_id=line.id, number=number, package_id=package_id,
                                              household_id=household_id, income_fen=share))
        for household_id, count in given.items():
            income[household_id] = income.get(household_id, 0) + count * share
            for item in package.lines:
                left[(household_id, item.item_id)] -= count * item.quantity
        allocated = sum(given.values())
        summary[str(package_id)] = {"demand": demand, "allocated": allocated, "shortfall": demand - allocated}
    used = {key: declared[key] - left[key] for key in declared if declared[key] != left[key]}
    db.session.flush()
    return used, income, summary


def published_adoptions_of_pledge(pledge_id):
    """The adoptions of a pledge in published runs, with who raises each (masked) and where."""
    rows = db.session.scalars(
        select(Adoption).join(AllocationRun, Adoption.run_id == AllocationRun.id)
        .join(PledgeLine, Adoption.pledge_line_id == PledgeLine.id)
        .where(PledgeLine.pledge_id == pledge_id, AllocationRun.state == "published")
        .order_by(Adoption.pledge_line_id, Adoption.number)).all()
    return [{"package": a.package.name, "number": a.number, "household": mask_name(a.household.head_name),
             "village": a.household.village.name} for a in rows]


def published_adoptions_of_household(household_id):
    """What a household raises for whom, from published runs: package and the adopting unit's name."""
    return db.session.scalars(
        select(Adoption).join(AllocationRun, Adoption.run_id == AllocationRun.id)
        .where(Adoption.household_id == household_id, AllocationRun.state == "published")
        .order_by(AllocationRun.published_at.desc(), Adoption.id)).all()
