"""How many unpaid bank-transfer pledges a partner unit may keep open in one campaign.

A transfer pledge holds its packages until the money arrives or ``transfer_grace_days`` pass
(``expire-unpaid`` then releases them). What a unit can hold unpaid is bounded by its annual budget
(unpaid pledges count as committed, unless the county allowed it to go over), by the campaign's
per-unit limit when the county set one, and here by the number of open transfers: spreading
pledges over many delivery addresses gets round the per-address limit, never this one.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Pledge

MAX_OPEN_TRANSFERS = 3


def check_open_transfers(unit_id, campaign_id):
    """Refuse another transfer pledge when the unit already has ``MAX_OPEN_TRANSFERS`` unpaid in the campaign."""
    open_count = db.session.scalar(select(func.count(Pledge.id)).where(
        Pledge.unit_id == unit_id, Pledge.campaign_id == campaign_id, Pledge.state == "awaiting_transfer"))
    if open_count >= MAX_OPEN_TRANSFERS:
        raise DomainError(_l("Your unit already has %(n)s unpaid bank transfers in this campaign. Pay one of them, "
                             "or pay this pledge by card.", n=open_count), "method")
