"""A partner unit's dashboard: what we bought, which households we helped, what they earned from us.

Households are those whose goods went into the unit's boxes packed in the period, traced through the
boxes' batches; what they earned from us is those units at the collection price. Names are masked
(张*芳): a unit never sees a household's full name.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from courtyard.extensions import db
from courtyard.models import (
    Box, BoxBatch, Campaign, CampaignPackage, CollectionRecord, Household, Package, Pledge, PledgeLine, Township,
    Village,
)
from courtyard.services.dashboards.dashboard_county import spread
from courtyard.text.masking import mask_name


@dataclass(frozen=True)
class Purchase:
    campaign: str
    package: str
    packages: int
    paid_fen: int


@dataclass(frozen=True)
class HelpedHousehold:
    name: str  # masked
    village: str
    units: int
    earned_fen: int


@dataclass(frozen=True)
class PartnerDashboard:
    period: object
    purchases: tuple[Purchase, ...]
    households: tuple[HelpedHousehold, ...]

    @property
    def packages(self):
        return sum(p.packages for p in self.purchases)

    @property
    def paid_fen(self):
        return sum(p.paid_fen for p in self.purchases)

    @property
    def earned(self):
        """Reach, average, lowest, median, highest and Gini of what the households earned from us."""
        return spread(None, "", [h.earned_fen for h in self.households])


def partner_dashboard(unit_id, period):
    """The unit's paid pledges made in the period, and the households whose goods it received."""
    start, end = period.bounds_utc()
    purchases = tuple(Purchase(title, package, int(quantity), int(paid)) for title, package, quantity, paid in
                      db.session.execute(
        select(Campaign.title, Package.name, func.sum(PledgeLine.quantity),
               func.sum(PledgeLine.quantity * PledgeLine.unit_price_fen))
        .select_from(PledgeLine).join(Pledge).join(Campaign, Pledge.campaign_id == Campaign.id)
        .join(CampaignPackage, PledgeLine.offer_id == CampaignPackage.id)
        .join(Package, CampaignPackage.package_id == Package.id)
        .where(Pledge.unit_id == unit_id, Pledge.state == "paid", Pledge.created_at >= start, Pledge.created_at < end)
        .group_by(Campaign.id, Campaign.title, Package.id, Package.name)
        .order_by(Campaign.title, Package.name)).all())
    rows = db.session.execute(
        select(Household.head_name, Township.name, Village.name, func.sum(BoxBatch.units),
               func.sum(BoxBatch.units * CollectionRecord.unit_price_fen))
        .select_from(BoxBatch).join(Box, BoxBatch.box_id == Box.id)
        .join(PledgeLine, Box.pledge_line_id == PledgeLine.id).join(Pledge, PledgeLine.pledge_id == Pledge.id)
        .join(CollectionRecord, BoxBatch.record_id == CollectionRecord.id)
        .join(Household, BoxBatch.household_id == Household.id).join(Village, Household.village_id == Village.id)
        .join(Township, Village.township_id == Township.id)
        .where(Pledge.unit_id == unit_id, Box.packed_at >= start, Box.packed_at < end)
        .group_by(Household.id, Household.head_name, Township.name, Village.name)).all()
    households = sorted((HelpedHousehold(mask_name(name), f"{township} {village}", int(units), int(earned))
                         for name, township, village, units, earned in rows),
                        key=lambda h: (-h.earned_fen, h.village, h.name))
    return PartnerDashboard(period, purchases, tuple(households))
