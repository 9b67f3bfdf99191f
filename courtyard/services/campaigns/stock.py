"""How many of each package a campaign may still sell: reserved atomically, never oversold.

A reservation is one conditional UPDATE per offer (``sold + q <= cap``, and ``<= declared_cap``
once capacity is declared, see :mod:`courtyard.services.supply.supply_caps`): PostgreSQL takes the row
lock and re-checks the condition for a concurrent buyer; SQLite runs one writer at a time. The
check constraints ``sold <= cap`` and ``sold <= declared_cap`` are the last line of defence.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, update

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CampaignPackage


def reserve(quantities):
    """Take ``{offer_id: quantity}`` from the offers' remaining stock, in offer order; DomainError if any is short."""
    for offer_id in sorted(quantities):
        quantity = quantities[offer_id]
        result = db.session.execute(
            update(CampaignPackage)
            .where(CampaignPackage.id == offer_id, CampaignPackage.sold + quantity <= CampaignPackage.cap,
                   or_(CampaignPackage.declared_cap.is_(None), CampaignPackage.sold + quantity <= CampaignPackage.declared_cap))
            .values(sold=CampaignPackage.sold + quantity)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            offer = db.session.get(CampaignPackage, offer_id)
            db.session.refresh(offer)
            raise DomainError(
                _l("Only %(n)s of %(package)s are left.", n=max(offer.remaining, 0), package=offer.package.name), "lines"
            )


def release_stock(pledge):
    """Give a pledge's packages back to the campaign (the caller commits)."""
    for line in pledge.lines:
        db.session.execute(
            update(CampaignPackage)
            .where(CampaignPackage.id == line.offer_id)
            .values(sold=CampaignPackage.sold - line.quantity)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(line.offer)
