"""Every pledge line of the county (or of one campaign), read in chunks for the big exports.

A county-sized season holds 200,000 lines, so they are never loaded at once: ``pledge_lines`` runs
one query with ``yield_per`` (a server-side cursor on PostgreSQL) and yields a :class:`PledgeLineRow`
at a time. The villages each unit is paired with are read once beforehand (a few hundred units).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.localtime import LOCAL_ZONE
from courtyard.models import Campaign, CampaignPackage, Package, PartnerUnit, Pledge, PledgeLine, Township, Village
from courtyard.models.units import unit_village

CHUNK = 2_000


@dataclass(frozen=True)
class PledgeLineRow:
    line_id: int
    campaign: str
    unit: str
    reference: str
    package: str
    quantity: int
    unit_price_fen: int
    state: str
    paid_at: datetime | None  # Asia/Shanghai
    villages: tuple[str, ...]  # the villages the unit is paired with

    @property
    def total_fen(self):
        return self.quantity * self.unit_price_fen


def villages_by_unit():
    """{unit id: (full names of the villages it is paired with)}, in one query."""
    rows = db.session.execute(
        select(unit_village.c.unit_id, Township.name, Village.name)
        .join(Village, Village.id == unit_village.c.village_id).join(Township, Township.id == Village.township_id)
        .order_by(unit_village.c.unit_id, Township.name, Village.name))
    villages = defaultdict(list)
    for unit_id, township, village in rows:
        villages[unit_id].append(f"{township} {village}")
    return {unit_id: tuple(names) for unit_id, names in villages.items()}


def pledge_lines(campaign_id=None, chunk=CHUNK):
    """Every pledge line (of ``campaign_id`` if given), by campaign then line, fetched ``chunk`` rows at a time."""
    villages = villages_by_unit()
    query = (select(PledgeLine.id, Campaign.title, PartnerUnit.name, Pledge.unit_id, Pledge.reference, Package.name,
                    PledgeLine.quantity, PledgeLine.unit_price_fen, Pledge.state, Pledge.paid_at)
             .join(Pledge, Pledge.id == PledgeLine.pledge_id).join(Campaign, Campaign.id == Pledge.campaign_id)
             .join(PartnerUnit, PartnerUnit.id == Pledge.unit_id)
             .join(CampaignPackage, CampaignPackage.id == PledgeLine.offer_id)
             .join(Package, Package.id == CampaignPackage.package_id)
             .order_by(Pledge.campaign_id, PledgeLine.id))
    if campaign_id is not None:
        query = query.where(Pledge.campaign_id == campaign_id)
    result = db.session.execute(query.execution_options(yield_per=chunk))
    for line_id, campaign, unit, unit_id, reference, package, quantity, price, state, paid_at in result:
        yield PledgeLineRow(line_id=line_id, campaign=campaign, unit=unit, reference=reference, package=package,
                            quantity=quantity, unit_price_fen=price, state=state,
                            paid_at=paid_at.astimezone(LOCAL_ZONE) if paid_at else None,
                            villages=villages.get(unit_id, ()))
