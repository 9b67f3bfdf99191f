"""The figures of a partner unit's annual 消费帮扶 certificate: what it bought in a year, from which villages, and
how many households its purchases helped earn how much — units need it for their own assessment.

Built from the unit's own rows only (its paid pledges, and the goods packed into its boxes, each valued at the
price the household was paid for it), never from the whole ledger: the cost grows with one unit's year, not the
county's. Render it with :func:`courtyard.exports.certificate.render_certificate_pdf`.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import (
    Box, BoxBatch, CampaignPackage, CollectionRecord, Delivery, Household, Package, Pledge, PledgeLine, Township,
    Village,
)
from courtyard.localtime import LOCAL_ZONE, period_of


@dataclass(frozen=True)
class Bought:
    package: str
    quantity: int
    amount_fen: int


@dataclass(frozen=True)
class VillageHelped:
    township: str
    village: str
    households: int
    earned_fen: int


@dataclass(frozen=True)
class CertificateData:
    number: str
    county: str
    unit: str
    year: int
    bought: tuple
    paid_fen: int  # paid in the year, less what was refunded
    villages: tuple
    households: int
    earned_fen: int
    issued_at: datetime  # Asia/Shanghai


def certificate_data(unit, year, county, now):
    """The unit's certificate for ``year`` (a local calendar year); DomainError when it bought nothing that year."""
    start, end = period_of("year", date(year, 1, 1)).bounds_utc()
    paid = (Pledge.unit_id == unit.id, Pledge.state == "paid", Pledge.paid_at >= start, Pledge.paid_at < end)
    bought = tuple(Bought(name, int(quantity), int(amount)) for name, quantity, amount in db.session.execute(
        select(Package.name, func.sum(PledgeLine.quantity), func.sum(PledgeLine.quantity * PledgeLine.unit_price_fen))
        .join(Pledge, Pledge.id == PledgeLine.pledge_id).join(CampaignPackage, CampaignPackage.id == PledgeLine.offer_id)
        .join(Package, Package.id == CampaignPackage.package_id).where(*paid)
        .group_by(Package.name).order_by(func.sum(PledgeLine.quantity * PledgeLine.unit_price_fen).desc(), Package.name)))
    if not bought:
        raise DomainError(_l("Your unit paid for no packages in %(year)s, so there is no certificate for that year.",
                             year=year))
    net = db.session.scalar(select(func.coalesce(func.sum(Pledge.total_fen - Pledge.refunded_fen), 0)).where(*paid))
    earned = BoxBatch.units * CollectionRecord.unit_price_fen
    helped = db.session.execute(
        select(Township.name, Village.name, func.count(func.distinct(BoxBatch.household_id)), func.sum(earned))
        .join(Box, Box.id == BoxBatch.box_id).join(Delivery, Delivery.id == Box.delivery_id)
        .join(CollectionRecord, CollectionRecord.id == BoxBatch.record_id)
        .join(Household, Household.id == BoxBatch.household_id).join(Village, Village.id == Household.village_id)
        .join(Township, Township.id == Village.township_id)
        .where(Delivery.unit_id == unit.id, Box.packed_at >= start, Box.packed_at < end)
        .group_by(Township.name, Village.name).order_by(func.sum(earned).desc(), Village.name)).all()
    households = db.session.scalar(
        select(func.count(func.distinct(BoxBatch.household_id))).join(Box, Box.id == BoxBatch.box_id)
        .join(Delivery, Delivery.id == Box.delivery_id)
        .where(Delivery.unit_id == unit.id, Box.packed_at >= start, Box.packed_at < end))
    villages = tuple(VillageHelped(t, v, int(n), int(fen)) for t, v, n, fen in helped)
    return CertificateData(number=f"XFBF-{year}-{unit.id:05d}", county=county, unit=unit.name, year=year,
                           bought=bought, paid_fen=int(net), villages=villages, households=int(households or 0),
                           earned_fen=sum(v.earned_fen for v in villages), issued_at=now.astimezone(LOCAL_ZONE))
