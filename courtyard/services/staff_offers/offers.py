"""Opening a staff offer: packages, delivery points, allowance, per-person limit and deadline, within budget.

The unit's remaining budget must cover the allowance for everyone on its roll at opening; if not,
the offer is refused with how much is missing. One open offer per unit and campaign.
"""

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Campaign, DeliveryAddress, StaffMember, StaffOffer
from courtyard.services.campaigns.campaigns import accepts_pledges
from courtyard.services.money.budgets import budget_of
from courtyard.services.operations import audit
from courtyard.text.formatting import fen


def open_offer(actor, unit, campaign_id, package_ids, point_ids, allowance_fen, per_person_limit, deadline_at,
               method, now):
    """Open an offer to the unit's staff; flushes and returns it (the caller commits)."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not accepts_pledges(campaign, now):
        raise DomainError(_l("This campaign is not taking pledges now."), "campaign")
    if db.session.scalar(select(StaffOffer.id).where(StaffOffer.unit_id == unit.id, StaffOffer.campaign_id == campaign.id,
                                                     StaffOffer.state == "open")):
        raise DomainError(_l("Your unit already has an open staff offer in this campaign."), "campaign")
    offered = {o.id: o for o in campaign.offers if o.active}
    packages = [offered[i] for i in package_ids if i in offered]
    if not packages or len(packages) != len(set(package_ids)):
        raise DomainError(_l("Choose packages offered in this campaign."), "packages")
    points = db.session.scalars(select(DeliveryAddress).where(
        DeliveryAddress.unit_id == unit.id, DeliveryAddress.active.is_(True), DeliveryAddress.id.in_(point_ids))).all()
    if not points or len(points) != len(set(point_ids)):
        raise DomainError(_l("Choose at least one of your unit's delivery addresses."), "points")
    if allowance_fen <= 0:
        raise DomainError(_l("Give an allowance above zero."), "allowance")
    if min(p.price_fen for p in packages) > allowance_fen:
        raise DomainError(_l("The allowance does not cover even the cheapest package."), "allowance")
    if not 1 <= per_person_limit <= 10:
        raise DomainError(_l("Each person may choose 1 to 10 of each package."), "per_person_limit")
    if method != "transfer":  # a card pledge made by the deadline job would expire unpaid (no saved cards yet)
        raise DomainError(_l("A staff offer's pledge is paid by bank transfer."), "method")
    if not now < deadline_at <= campaign.closes_at:
        raise DomainError(_l("The deadline must be in the future and no later than the campaign's close."), "deadline")
    staff = db.session.scalar(select(func.count(StaffMember.id)).where(
        StaffMember.unit_id == unit.id, StaffMember.active.is_(True)))
    if not staff:
        raise DomainError(_l("Add your staff to the roll first."), "allowance")
    needed, left = allowance_fen * staff, budget_of(unit, now).remaining_fen
    if needed > left and not unit.allow_over_budget:
        raise DomainError(_l("%(n)s people × %(allowance)s needs %(needed)s, but only %(left)s of the budget is left: "
                             "%(short)s short.", n=staff, allowance=fen(allowance_fen), needed=fen(needed),
                             left=fen(max(left, 0)), short=fen(needed - max(left, 0))), "allowance")
    offer = StaffOffer(unit_id=unit.id, campaign_id=campaign.id, allowance_fen=allowance_fen,
                       per_person_limit=per_person_limit, method=method, deadline_at=deadline_at, state="open",
                       token=secrets.token_urlsafe(16), created_at=now, packages=packages, points=list(points))
    db.session.add(offer)
    db.session.flush()
    audit.record(actor, "staff_offer_opened", "staff_offer", offer.id, allowance_fen=allowance_fen, staff=staff)
    return offer
