"""Declared capacity caps what a campaign may sell of each package.

Once any capacity is declared for a campaign, each offer's ``declared_cap`` is the number of its
packages the declared units cover, and :func:`courtyard.services.campaigns.stock.reserve` checks it in the
same conditional UPDATE as the admin's cap, so a sale is never more than the households can supply.

How the declared units are shared between offers whose packages use the same item ("reserved in
order"): first every offer keeps what it has already sold; the units left over are then handed out
one package at a time, taking turns in offer order (offer id), each offer up to its admin cap, so
that no offer starves the others. An offer whose items nobody declared can sell no more. The
partition is fixed until the declarations or the caps change, so each offer's sales need to check
only its own row.

The caps are written while the campaign's offers are locked (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite has one writer at a time), so a concurrent sale either sees the old cap and
commits first, or waits and sees the new one.

Lowering a declaration below what is already sold is *allowed, with a warning*: a declaration
records what a household really has (a goose that died is gone whatever the form says), and
refusing it would push teams to keep numbers they know are false, which the allocation would then
promise to buyers. So the declaration is saved, the offer can sell nothing more, and
:func:`shortages` names the short items: the team sees it on its capacity table, the county on the
campaign page (red), and the allocation shows the shortfall.
"""

from dataclasses import dataclass


from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import CampaignPackage, CapacityDeclaration, Household, ProduceItem


def declared_units(campaign_id):
    """``{item_id: units}`` declared for a campaign by active households (every village)."""
    rows = db.session.execute(
        select(CapacityDeclaration.item_id, func.sum(CapacityDeclaration.units))
        .join(Household, CapacityDeclaration.household_id == Household.id)
        .where(CapacityDeclaration.campaign_id == campaign_id, Household.active.is_(True))
        .group_by(CapacityDeclaration.item_id)
    ).all()
    return {item_id: int(units or 0) for item_id, units in rows}


def any_declared(campaign_id):
    return db.session.scalar(select(func.count(CapacityDeclaration.id)).where(
        CapacityDeclaration.campaign_id == campaign_id)) > 0


def sold_units(offers):
    """``{item_id: units}`` the packages already sold (held or paid) call for."""
    needed = {}
    for offer in offers:
        for line in offer.package.lines:
            needed[line.item_id] = needed.get(line.item_id, 0) + offer.sold * line.quantity
    return needed


def compute_caps(offers, units):
    """``{offer_id: declared_cap}`` for ``offers`` (sold and admin cap read from them) and declared ``units``."""
    left = dict(units)
    for item_id, needed in sold_units(offers).items():
        left[item_id] = left.get(item_id, 0) - needed
    extra = {offer.id: 0 for offer in offers}
    taking = [offer for offer in sorted(offers, key=lambda o: o.id) if offer.package.lines]
    while taking:  # one package per offer per turn, in offer order, while the admin cap and the units allow
        still = []
        for offer in taking:
            lines = offer.package.lines
            if extra[offer.id] < offer.cap - offer.sold and all(left.get(l.item_id, 0) >= l.quantity for l in lines):
                for line in lines:
                    left[line.item_id] -= line.quantity
                extra[offer.id] += 1
                still.append(offer)
        taking = still
    return {offer.id: offer.sold + extra[offer.id] for offer in offers}


def refresh(campaign_id):
    """Lock the campaign's offers and write their ``declared_cap`` (None while nothing is declared).

    The caller commits.
    """
    offers = db.session.scalars(select(CampaignPackage).where(CampaignPackage.campaign_id == campaign_id)
                                .order_by(CampaignPackage.id).with_for_update()).all()
    for offer in offers:
        db.session.refresh(offer)
    declared = any_declared(campaign_id)
    caps = compute_caps(offers, declared_units(campaign_id)) if declared else {}
    for offer in offers:
        offer.declared_cap = caps.get(offer.id)
    db.session.flush()


@dataclass(frozen=True)
class Shortage:
    item: ProduceItem
    needed: int  # units the packages already sold call for
    declared: int  # units declared by all villages


def shortages(campaign_id):
    """The items whose declared units (all villages) are short of what the packages already sold need.

    Empty while nothing is declared: then the county's cap alone applies.
    """
    if not any_declared(campaign_id):
        return []
    offers = db.session.scalars(select(CampaignPackage).where(CampaignPackage.campaign_id == campaign_id)).all()
    units = declared_units(campaign_id)
    short = [(item_id, needed) for item_id, needed in sold_units(offers).items() if units.get(item_id, 0) < needed]
    return [Shortage(db.session.get(ProduceItem, item_id), needed, units.get(item_id, 0)) for item_id, needed in sorted(short)]
