"""Closing campaigns: funded ones capture every card hold, failed ones release them all.

Run by the scheduler (and ``flask courtyard close-campaigns``); safe to run twice: a capture or
release that failed (payment server down) is tried again on the next run until none is left.
"""

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.messages.pledge_letters import notify
from courtyard.models import Campaign, Pledge
from courtyard.services.campaigns.campaigns import progress, transition
from courtyard.services.payments import card_settlement
from courtyard.services.pledges import pledge_states


def close_campaign(campaign, now, actor=None):
    """Decide funded or failed at the closing time, then settle every pledge."""
    if campaign.state == "open":
        reached = progress(campaign, now).reached
        funded = campaign.mode == "flexible" or reached
        transition(actor, campaign, "funded" if funded else "failed", now,
                   note="goal reached" if reached else ("flexible: kept" if funded else "goal not reached"))
        if funded:  # pledges already paid hear the news now; held cards hear it when captured
            for pledge in db.session.scalars(select(Pledge).where(Pledge.campaign_id == campaign.id, Pledge.state == "paid")):
                notify("campaign_funded", pledge)
        db.session.commit()
    return settle(campaign, now)


def settle(campaign, now):
    """Capture (funded) or release and refund (failed) what is still held; returns counts."""
    counts = {"captured": 0, "released": 0, "refunded": 0, "cancelled": 0, "errors": 0}
    if campaign.state not in ("funded", "failed"):
        return counts
    states = ("authorized",) if campaign.state == "funded" else ("authorized", "awaiting_transfer", "paid")
    pledges = db.session.scalars(select(Pledge).where(Pledge.campaign_id == campaign.id, Pledge.state.in_(states))
                                 .order_by(Pledge.id)).all()
    for pledge in pledges:
        try:
            outcome = _settle_one(campaign, pledge)
        except Exception:  # a payment error leaves the pledge as it was, for the next run
            db.session.rollback()
            counts["errors"] += 1
        else:
            counts[outcome] += 1
    return counts


def _settle_one(campaign, pledge):
    if campaign.state == "funded":
        card_settlement.capture(pledge)
        notify("campaign_funded", pledge)
        db.session.commit()
        return "captured"
    if pledge.state == "authorized":
        card_settlement.release(pledge, "released")  # and tells the unit the campaign failed
        db.session.commit()
        return "released"
    if pledge.state == "awaiting_transfer":
        pledge_states.mark_cancelled(pledge, by_unit=False, action="pledge_cancelled_campaign_failed")
        db.session.commit()
        return "cancelled"
    # paid (by transfer, or a flexible card payment) in a failed campaign: it is paid back
    card_settlement.refund(pledge, pledge.total_fen - pledge.refunded_fen, "campaign failed", None)
    notify("campaign_failed", pledge)
    db.session.commit()
    return "refunded"


def close_due_campaigns(now):
    """Close every open campaign whose time is up, and retry settling closed ones."""
    results = {}
    for campaign in db.session.scalars(select(Campaign).where(Campaign.state == "open", Campaign.closes_at <= now)).all():
        results[campaign.id] = close_campaign(campaign, now)
    for campaign in db.session.scalars(select(Campaign).where(Campaign.state.in_(("funded", "failed")))).all():
        if campaign.id not in results:
            results[campaign.id] = settle(campaign, now)
    return results
