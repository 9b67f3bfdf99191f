"""What closing a campaign will do, worked out before anyone presses the button, and closing it early.

:func:`close_preview` reads the pledges as they stand and says what :func:`courtyard.services.campaigns.campaign_close.close_campaign`
would do with them now: funded or not, how many card holds are charged or released, how many paid
pledges are refunded, how many transfers are still awaited (kept waiting when funded, no longer
awaited when not) and how many units are written to. :func:`close_now` closes an open campaign before
its closing time, in one step.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Pledge
from courtyard.services.campaigns import campaign_close
from courtyard.services.campaigns.campaigns import progress
from courtyard.services.operations import audit


@dataclass(frozen=True)
class ClosePreview:
    funded: bool  # kept: the goal is reached, or the campaign is flexible
    reached: bool
    charged: int  # card holds captured (funded)
    released: int  # card holds released (not funded)
    refunded: int  # paid pledges paid back (not funded)
    awaiting_transfer: int  # pledges still waiting for a bank transfer
    already_paid: int  # paid pledges that stay paid (funded)
    units_told: int  # units written to about the outcome


def close_preview(campaign, now):
    """What closing ``campaign`` now would do (for an open campaign, or a closed one still settling)."""
    if campaign.state == "open":
        reached = progress(campaign, now).reached
        funded = campaign.mode == "flexible" or reached
    else:
        reached = funded = campaign.state != "failed"
    counts = dict(db.session.execute(select(Pledge.state, func.count(Pledge.id)).where(
        Pledge.campaign_id == campaign.id).group_by(Pledge.state)).all())
    told_states = ("authorized", "paid") if funded else ("authorized", "awaiting_transfer", "paid")
    units_told = db.session.scalar(select(func.count(func.distinct(Pledge.unit_id))).where(
        Pledge.campaign_id == campaign.id, Pledge.state.in_(told_states)))
    return ClosePreview(funded=funded, reached=reached,
                        charged=counts.get("authorized", 0) if funded else 0,
                        released=0 if funded else counts.get("authorized", 0),
                        refunded=0 if funded else counts.get("paid", 0),
                        awaiting_transfer=counts.get("awaiting_transfer", 0),
                        already_paid=counts.get("paid", 0) if funded else 0,
                        units_told=units_told or 0)


def close_now(actor, campaign, now):
    """Close an open campaign before its closing time: the closing time becomes ``now`` (audited), then it is
    decided funded or failed and settled as at any close. Returns the settlement counts."""
    if campaign.state != "open":
        raise DomainError(_l("Only an open campaign can be closed early."))
    if campaign.closes_at > now:
        audit.record(actor, "campaign_closed_early", "campaign", campaign.id, planned_closes_at=campaign.closes_at.isoformat(),
                     closed_at=now.isoformat())
        campaign.closes_at = now
        db.session.flush()
    return campaign_close.close_campaign(campaign, now, actor)
