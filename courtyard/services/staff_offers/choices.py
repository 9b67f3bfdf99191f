"""A staff member's choice: packages and a delivery point within the allowance, holding stock like a pledge.

Stock is taken with the same conditional update as pledges (:func:`courtyard.services.stock.reserve`):
a change takes only what it adds and gives back what it drops, so caps hold however many choose at
once. The campaign's per-unit and per-address limits count the unit's pledges and its open choices
together; the unit's row is locked while a choice is made, so two choices cannot both pass a limit.
"""

from collections import Counter

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import PartnerUnit, Pledge, PledgeLine, StaffChoice, StaffChoiceLine, StaffMember, StaffOffer
from courtyard.services.campaigns import stock
from courtyard.services.campaigns.write_retries import with_write_retries
from courtyard.services.operations.checkpoint import checkpoint
from courtyard.services.pledges.pledges import held_quantity
from courtyard.text.formatting import fen


def choose(member, offer, quantities, address_id, now):
    """Make or change ``member``'s choice: ``{campaign package id: quantity}`` to ``address_id``.

    An empty choice withdraws it. Commits; returns the choice (None when withdrawn).
    """
    return with_write_retries(lambda: _choose(member.id, offer.id, quantities, address_id, now),
                              _l("Those packages have just run out."))


def _choose(member_id, offer_id, quantities, address_id, now):
    offer = db.session.get(StaffOffer, offer_id)
    member = db.session.get(StaffMember, member_id)
    if offer.state != "open" or now >= offer.deadline_at:
        raise DomainError(_l("This offer has closed; choices can no longer be changed."))
    unit = db.session.scalar(select(PartnerUnit).where(PartnerUnit.id == offer.unit_id).with_for_update())
    choice = db.session.scalar(select(StaffChoice).where(
        StaffChoice.offer_id == offer.id, StaffChoice.member_id == member.id).with_for_update())
    wanted = _checked(offer, quantities, address_id)
    old = Counter({line.campaign_package_id: line.quantity for line in choice.lines}) if choice else Counter()
    if wanted:
        _check_limits(offer, unit, choice, wanted, address_id)
    added, dropped = wanted - old, old - wanted
    stock.reserve(dict(added))
    stock.give_back(dict(dropped))
    prices = {p.id: p.price_fen for p in offer.packages}
    if not wanted:
        if choice is not None:
            db.session.delete(choice)
        checkpoint()
        return None
    if choice is None:
        choice = StaffChoice(offer_id=offer.id, member_id=member.id, address_id=address_id, updated_at=now)
        db.session.add(choice)
    choice.address_id, choice.updated_at = address_id, now
    choice.lines = [StaffChoiceLine(campaign_package_id=pid, quantity=q, unit_price_fen=prices[pid])
                    for pid, q in sorted(wanted.items())]
    checkpoint()
    return choice


def _checked(offer, quantities, address_id):
    offered = {p.id: p for p in offer.packages}
    wanted = Counter()
    for package_id, quantity in quantities.items():
        if not quantity:
            continue
        if package_id not in offered:
            raise DomainError(_l("Choose packages from this offer."), "lines")
        if quantity < 0 or quantity > offer.per_person_limit:
            raise DomainError(_l("Each person may choose at most %(n)s of each package.", n=offer.per_person_limit),
                              "lines")
        wanted[package_id] = quantity
    if not wanted:
        return wanted
    if address_id not in {p.id for p in offer.points}:
        raise DomainError(_l("Choose one of the delivery points."), "address")
    total = sum(q * offered[pid].price_fen for pid, q in wanted.items())
    if total > offer.allowance_fen:
        raise DomainError(_l("Your choice costs %(total)s; the allowance is %(allowance)s.",
                             total=fen(total), allowance=fen(offer.allowance_fen)), "lines")
    return wanted


def staff_held(campaign_id, *conditions):
    """Packages held by open staff choices in the campaign (with ``conditions`` on the choice or offer)."""
    return db.session.scalar(
        select(func.coalesce(func.sum(StaffChoiceLine.quantity), 0))
        .join(StaffChoice, StaffChoice.id == StaffChoiceLine.choice_id)
        .join(StaffOffer, StaffOffer.id == StaffChoice.offer_id)
        .where(StaffOffer.campaign_id == campaign_id, StaffOffer.state == "open", *conditions))


def _check_limits(offer, unit, choice, wanted, address_id):
    campaign = offer.campaign
    others = (StaffChoice.id != choice.id,) if choice is not None else ()
    count = sum(wanted.values())
    if campaign.limit_per_unit:
        held = held_quantity(campaign, Pledge.unit_id == unit.id) + staff_held(
            campaign.id, StaffOffer.unit_id == unit.id, *others)
        if held + count > campaign.limit_per_unit:
            raise DomainError(_l("Each unit may pledge at most %(n)s packages in this campaign; yours has %(held)s.",
                                 n=campaign.limit_per_unit, held=held), "lines")
    if campaign.limit_per_address:
        held = held_quantity(campaign, PledgeLine.address_id == address_id) + staff_held(
            campaign.id, StaffChoice.address_id == address_id, *others)
        if held + count > campaign.limit_per_address:
            raise DomainError(_l("Each delivery address may receive at most %(n)s packages in this campaign.",
                                 n=campaign.limit_per_address), "address")


def drop_open_choices(member):
    """Give back the stock of ``member``'s choices in open offers and drop them (flushes)."""
    for choice in db.session.scalars(select(StaffChoice).join(StaffOffer).where(
            StaffChoice.member_id == member.id, StaffOffer.state == "open")):
        stock.give_back({line.campaign_package_id: line.quantity for line in choice.lines})
        db.session.delete(choice)
    db.session.flush()
