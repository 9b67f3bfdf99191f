"""A cooperative declares capacity for a campaign on behalf of its members.

The declared units are split among the active member households by their shares
(:func:`courtyard.services.cooperatives.shares.split`) and recorded as each member's own capacity
declaration (through :func:`courtyard.services.supply.supply.record`, so the same checks hold), marked
with the cooperative and the contract it serves. Allocation then runs as for any household: the
engine serves the poorest first, within each member's part. Members paused from the item get no
part. A suspended cooperative declares nothing. Services flush; the caller commits.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import (
    CapacityDeclaration, CooperativeDeclaration, CooperativeMember, Household, PurchaseContract,
)
from courtyard.services.operations import audit
from courtyard.services.supply import supply, supply_caps
from courtyard.services.cooperatives.shares import split
from courtyard.services.integrity.sanctions import paused_pairs


def _contract(cooperative, item_id, contract_id):
    if not contract_id:
        return None
    contract = db.session.get(PurchaseContract, contract_id)
    if contract is None or contract.cooperative_id != cooperative.id or contract.state != "active" \
            or contract.item_id != item_id:
        raise DomainError(_l("Choose an active contract of this cooperative for this item."), "contract")
    return contract


def declare(actor, cooperative, campaign_id, item_id, units, now, contract_id=None, note=""):
    """Declare ``units`` of an item for a campaign and split them among the members; returns the declaration."""
    if cooperative.suspended:
        raise DomainError(_l("This cooperative is suspended from new campaigns by a county decision."))
    if isinstance(units, bool) or not isinstance(units, int) or not 1 <= units <= supply.MAX_UNITS:
        raise DomainError(_l("Enter a whole number of units from 1 to %(n)s.", n=supply.MAX_UNITS), "units")
    contract = _contract(cooperative, item_id, contract_id)
    members = db.session.execute(
        select(CooperativeMember, Household).join(Household, Household.id == CooperativeMember.household_id)
        .where(CooperativeMember.cooperative_id == cooperative.id, Household.active.is_(True))
        .order_by(Household.id)).all()
    paused = paused_pairs(h.id for _, h in members)
    taking = [(h.id, m.shares, h.tier) for m, h in members if (h.id, item_id) not in paused]
    if not taking:
        raise DomainError(_l("The cooperative has no active member who may supply this item."), "units")
    parts = split(units, taking)
    households = {h.id: h for _, h in members}
    item_ids = {item.id for item in supply.round_items(campaign_id)}
    for household_id, part in sorted(parts.items()):
        declaration = supply.record(actor, households[household_id], campaign_id, item_id, part, now, field="units",
                                    item_ids=item_ids, refresh_caps=False)
        declaration.cooperative_id = cooperative.id
        declaration.contract_id = contract.id if contract else declaration.contract_id
    for household_id in set(households) - set(parts):  # a paused member's earlier part is withdrawn
        _withdraw(household_id, item_id, campaign_id, cooperative.id)
    declared = db.session.scalar(select(CooperativeDeclaration).where(
        CooperativeDeclaration.cooperative_id == cooperative.id, CooperativeDeclaration.campaign_id == campaign_id,
        CooperativeDeclaration.item_id == item_id))
    before = declared.units if declared else None
    declared = declared or CooperativeDeclaration(cooperative_id=cooperative.id, campaign_id=campaign_id, item_id=item_id)
    declared.units, declared.note = units, (note or "").strip()
    declared.contract_id = contract.id if contract else None
    declared.recorded_by_id, declared.recorded_at = getattr(actor, "id", None), now
    db.session.add(declared)
    db.session.flush()
    supply_caps.refresh(campaign_id)
    audit.record(actor, "cooperative_declared", "cooperative_declaration", declared.id, cooperative_id=cooperative.id,
                 campaign_id=campaign_id, item_id=item_id, before=before, after=units, parts=len(parts))
    return declared


def _withdraw(household_id, item_id, campaign_id, cooperative_id):
    declaration = db.session.scalar(select(CapacityDeclaration).where(
        CapacityDeclaration.household_id == household_id, CapacityDeclaration.item_id == item_id,
        CapacityDeclaration.campaign_id == campaign_id, CapacityDeclaration.cooperative_id == cooperative_id))
    if declaration is not None:
        declaration.units = 0


def members_parts(cooperative_id, campaign_id):
    """``{(household_id, item_id): units}`` the cooperative's declarations gave its members for a campaign."""
    return {(d.household_id, d.item_id): d.units for d in db.session.scalars(select(CapacityDeclaration).where(
        CapacityDeclaration.cooperative_id == cooperative_id, CapacityDeclaration.campaign_id == campaign_id))}
