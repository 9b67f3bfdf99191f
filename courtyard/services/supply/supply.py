"""Capacity declarations: how many units of each item a household can supply for a round.

A round is a campaign for now. The items of a round are those in the packages it offers.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import (
    Campaign, CampaignPackage, CapacityDeclaration, Household, Package, PackageItem, ProduceItem,
)
from courtyard.services.operations import audit
from courtyard.services.supply import supply_caps
from courtyard.services.contracts import terms as contract_terms
from courtyard.services.integrity import sanctions

MAX_UNITS = 10000
OPEN_FOR_DECLARATIONS = ("draft", "open", "funded", "fulfilling")


def round_items(campaign_id, kind=None):
    """The produce items in the packages a campaign offers, by name; ``kind`` keeps one package kind."""
    conditions = [CampaignPackage.campaign_id == campaign_id]
    if kind is not None:
        conditions.append(Package.kind == kind)
    return db.session.scalars(
        select(ProduceItem).join(PackageItem, PackageItem.item_id == ProduceItem.id)
        .join(CampaignPackage, CampaignPackage.package_id == PackageItem.package_id)
        .join(Package, Package.id == PackageItem.package_id)
        .where(*conditions).distinct().order_by(ProduceItem.name, ProduceItem.id)
    ).all()


def declarations_of(campaign_id, household_ids):
    """``{(household_id, item_id): CapacityDeclaration}`` for the households in a round."""
    rows = db.session.scalars(select(CapacityDeclaration).where(
        CapacityDeclaration.campaign_id == campaign_id, CapacityDeclaration.household_id.in_(list(household_ids))))
    return {(d.household_id, d.item_id): d for d in rows}


def field_name(household_id, item_id):
    """The form field of one cell of the capacity table."""
    return f"cap_{household_id}_{item_id}"


def record(actor, household, campaign_id, item_id, units, now, note=None, photo=None, field=None, item_ids=None,
           refresh_caps=True):
    """Record or overwrite one declaration; a DomainError names ``field`` (default ``units``).

    ``note=None`` keeps the stored note; ``photo=None`` keeps the stored photo. ``item_ids`` (the
    round's items) may be passed by a caller recording many cells, to look them up once.

    What the campaign may sell follows the declarations (:func:`supply_caps.refresh`); a table
    passes ``refresh_caps=False`` for each cell and refreshes once at the end.

    The caller commits (so a table of declarations is saved all or nothing).
    """
    field = field or "units"
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.state not in OPEN_FOR_DECLARATIONS:
        raise DomainError(_l("Capacity can only be declared for a campaign that is not closed."), field)
    if not household.active:
        raise DomainError(_l("This household is deactivated."), field)
    if item_id not in (item_ids if item_ids is not None else {item.id for item in round_items(campaign_id)}):
        raise DomainError(_l("This item is not in the campaign's packages."), field)
    if isinstance(units, bool) or not isinstance(units, int) or not 0 <= units <= MAX_UNITS:
        raise DomainError(_l("Enter a whole number of units from 0 to %(n)s.", n=MAX_UNITS), field)
    if units:
        sanctions.check_may_declare(household, item_id, field)
    declaration = db.session.scalar(select(CapacityDeclaration).where(
        CapacityDeclaration.household_id == household.id, CapacityDeclaration.item_id == item_id,
        CapacityDeclaration.campaign_id == campaign_id))
    before = declaration.units if declaration else None
    if declaration is None:
        declaration = CapacityDeclaration(household_id=household.id, item_id=item_id, campaign_id=campaign_id)
        db.session.add(declaration)
    elif before == units and note is None and not photo:
        return declaration
    declaration.units = units
    if note is not None or declaration.note is None:
        declaration.note = (note or "").strip()
    if photo:
        declaration.photo = photo
    declaration.recorded_by_id, declaration.recorded_at = getattr(actor, "id", None), now
    cover = contract_terms.cover_of(household.id, item_id, now)
    declaration.contract_id = cover.contract_id if cover else None
    db.session.flush()
    audit.record(actor, "capacity_declared", "capacity_declaration", declaration.id,
                 household_id=household.id, item_id=item_id, campaign_id=campaign_id, before=before, after=units)
    if refresh_caps:
        supply_caps.refresh(campaign_id)
    return declaration


def record_table(actor, village_id, campaign_id, cells, now):
    """Save a village's capacity table: ``cells`` maps ``(household_id, item_id)`` to units or None.

    None (an empty cell) leaves the cell undeclared, or keeps what was declared. All or nothing:
    the first bad cell raises a DomainError naming its field and nothing is saved.
    """
    households = {h.id: h for h in db.session.scalars(select(Household).where(
        Household.village_id == village_id, Household.id.in_([h for h, _ in cells])))}
    item_ids = {item.id for item in round_items(campaign_id)}
    try:
        for (household_id, item_id), units in sorted(cells.items()):
            if units is None:
                continue
            household = households.get(household_id)
            if household is None:
                raise DomainError(_l("This household is not in your village."), field_name(household_id, item_id))
            record(actor, household, campaign_id, item_id, units, now, field=field_name(household_id, item_id),
                   item_ids=item_ids, refresh_caps=False)
        supply_caps.refresh(campaign_id)
    except DomainError:
        db.session.rollback()
        raise
    db.session.flush()


def declarations_of_household(household_id):
    """What the household declared it can supply, newest campaign first."""
    return db.session.scalars(select(CapacityDeclaration).where(CapacityDeclaration.household_id == household_id)
                              .order_by(CapacityDeclaration.campaign_id.desc(), CapacityDeclaration.item_id)).all()


def declaring_households(village_id, campaign_id):
    """The village's households that declared something for the campaign, by name."""
    return db.session.scalars(select(Household).where(
        Household.village_id == village_id,
        Household.id.in_(select(CapacityDeclaration.household_id).where(CapacityDeclaration.campaign_id == campaign_id))
    ).order_by(Household.head_name, Household.id)).all()
