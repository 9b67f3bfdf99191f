"""Campaigns: creating them, their state machine (every change logged), and their progress."""

from dataclasses import dataclass
from math import ceil

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import (
    CAMPAIGN_MODES, GOAL_KINDS, TRANSITIONS, CampaignPackage, CampaignStateChange, CapacityDeclaration, Household,
    Package, Village,
)
from courtyard.services.campaigns.campaign_progress import COUNTED_STATES  # noqa: F401 (kept in step there; imported from here)
from courtyard.services.operations import audit
from courtyard.services.supply import supply_caps


@dataclass
class OfferInput:
    package_id: int
    price_fen: int
    cap: int
    delivery_plan: str = ""


def save_campaign(actor, campaign, *, title, story, mode, goal_kind, goal_value, opens_at, closes_at,
                  limit_per_address, limit_per_unit, transfer_grace_days, offers, photo=None):
    """Create or edit a campaign; packages on offer may change only while it is a draft."""
    if mode not in CAMPAIGN_MODES:
        raise DomainError(_l("Choose all-or-nothing or flexible."), "mode")
    if goal_kind not in GOAL_KINDS:
        raise DomainError(_l("Choose a goal in packages or in yuan."), "goal_kind")
    if not goal_value or goal_value <= 0:
        raise DomainError(_l("The goal must be more than zero."), "goal_value")
    if closes_at <= opens_at:
        raise DomainError(_l("The campaign must close after it opens."), "closes_at")
    if campaign.id and campaign.state != "draft" and _offers_changed(campaign, offers):
        raise DomainError(_l("Packages on offer can only change while the campaign is a draft."), "offers")
    package_ids = [o.package_id for o in offers]
    if not offers:
        raise DomainError(_l("Offer at least one package."), "offers")
    if len(set(package_ids)) != len(package_ids):
        raise DomainError(_l("Each package may be offered only once."), "offers")
    if any(o.price_fen <= 0 or o.cap <= 0 for o in offers):
        raise DomainError(_l("Each package needs a price and a number available above zero."), "offers")
    if db.session.scalar(select(func.count(Package.id)).where(Package.id.in_(package_ids))) != len(package_ids):
        raise DomainError(_l("Choose packages from the list."), "offers")
    campaign.title, campaign.story, campaign.mode = title.strip(), (story or "").strip(), mode
    campaign.goal_kind, campaign.goal_value = goal_kind, goal_value
    campaign.opens_at, campaign.closes_at = opens_at, closes_at
    campaign.limit_per_address, campaign.limit_per_unit = limit_per_address or None, limit_per_unit or None
    campaign.transfer_grace_days = transfer_grace_days or 7
    if photo:
        campaign.photo = photo
    if campaign.state in (None, "draft"):
        campaign.state = "draft"
        _replace_offers(campaign, offers)
    else:
        for offer, data in zip(sorted(campaign.offers, key=lambda o: o.package_id), sorted(offers, key=lambda o: o.package_id)):
            offer.delivery_plan = data.delivery_plan
            if data.cap < offer.sold:
                raise DomainError(_l("The number available cannot go below what is already sold."), "offers")
            offer.cap = data.cap
    db.session.add(campaign)
    db.session.flush()
    supply_caps.refresh(campaign.id)
    if not campaign.changes:
        campaign.changes.append(CampaignStateChange(from_state=None, to_state="draft", actor_id=getattr(actor, "id", None)))
    audit.record(actor, "campaign_saved", "campaign", campaign.id, title=campaign.title)
    db.session.commit()
    return campaign


def _offers_changed(campaign, offers):
    current = {(o.package_id, o.price_fen) for o in campaign.offers}
    return current != {(o.package_id, o.price_fen) for o in offers}


def _replace_offers(campaign, offers):
    existing = {o.package_id: o for o in campaign.offers}
    campaign.offers = [
        _offer(existing.get(data.package_id) or CampaignPackage(package_id=data.package_id, sold=0), data) for data in offers
    ]


def _offer(offer, data):
    offer.price_fen, offer.cap, offer.delivery_plan, offer.active = data.price_fen, data.cap, data.delivery_plan, True
    return offer


def transition(actor, campaign, to_state, now, note=""):
    """Move the campaign along its state machine and log the change (the caller commits)."""
    if to_state not in TRANSITIONS[campaign.state]:
        raise DomainError(_l("A campaign cannot go from %(a)s to %(b)s.", a=campaign.state, b=to_state))
    campaign.changes.append(CampaignStateChange(from_state=campaign.state, to_state=to_state, at=now,
                                                actor_id=getattr(actor, "id", None), note=note))
    audit.record(actor, "campaign_state", "campaign", campaign.id, before=campaign.state, after=to_state)
    campaign.state = to_state


def open_campaign(actor, campaign, now):
    if not campaign.offers:
        raise DomainError(_l("Offer at least one package before opening."))
    if campaign.closes_at <= now:
        raise DomainError(_l("The closing time has passed; change it before opening."))
    transition(actor, campaign, "open", now)
    db.session.commit()


def accepts_pledges(campaign, now):
    return campaign.state == "open" and campaign.opens_at <= now < campaign.closes_at


@dataclass
class Progress:
    packages: int
    amount_fen: int
    units: int
    goal_kind: str
    goal_value: int
    seconds_left: int

    @property
    def achieved(self):
        return self.packages if self.goal_kind == "packages" else self.amount_fen

    @property
    def percent(self):
        return int(100 * self.achieved / self.goal_value) if self.goal_value else 0

    @property
    def bar_percent(self):
        return min(100, self.percent)

    @property
    def reached(self):
        return self.achieved >= self.goal_value

    @property
    def days_left(self):
        return max(0, ceil(self.seconds_left / 86400))


def progress(campaign, now):
    """Packages and money pledged (authorised or paid), units taking part, time left."""
    return progress_of_each([campaign], now)[campaign.id]


def progress_of_each(campaigns, now):
    """{campaign id: Progress} for a list of campaigns, from the figures kept on each campaign."""
    result = {}
    for campaign in campaigns:
        left = int((campaign.closes_at - now).total_seconds()) if campaign.state == "open" else 0
        result[campaign.id] = Progress(campaign.progress_packages or 0, campaign.progress_fen or 0,
                                       campaign.progress_units or 0, campaign.goal_kind, campaign.goal_value,
                                       max(0, left))
    return result


def supply_by_offer(campaign):
    """For each offer: the villages whose households declared capacity for its items in this campaign,
    and how many packages the declared capacity covers (``None`` while nothing is declared)."""
    declared = db.session.execute(
        select(CapacityDeclaration.item_id, Village.name, func.sum(CapacityDeclaration.units))
        .join(Household, CapacityDeclaration.household_id == Household.id).join(Village, Household.village_id == Village.id)
        .where(CapacityDeclaration.campaign_id == campaign.id, CapacityDeclaration.units > 0, Household.active.is_(True))
        .group_by(CapacityDeclaration.item_id, Village.name)
    ).all()
    units, villages = {}, {}
    for item_id, village, total in declared:
        units[item_id] = units.get(item_id, 0) + int(total)
        villages.setdefault(item_id, set()).add(village)
    result = {}
    for offer in campaign.offers:
        lines = offer.package.lines
        covered = min((units.get(line.item_id, 0) // line.quantity for line in lines), default=0) if \
            any(line.item_id in units for line in lines) else None
        names = sorted(set().union(*(villages.get(line.item_id, set()) for line in lines))) if lines else []
        result[offer.id] = (names, covered)
    return result
