"""Closing campaigns: funded ones capture every card hold and charge every saved card (off-session),
failed ones release them all.

Run by the scheduler (and ``flask courtyard close-campaigns``); safe to run twice: a capture or
release that failed (payment server down) is tried again on the next run until none is left.

Checkpoints: the decision (funded or failed, with the news to pledges already paid) is committed
before any pledge is settled, and then each pledge is settled in a transaction of its own (its
capture or release together with its letter), so one pledge's payment trouble rolls back only that
pledge. Both are :func:`checkpoint` calls; the rest of the work flushes.
"""

import logging

from sqlalchemy import select

from courtyard.extensions import db
from courtyard.messages.pledge_letters import notify
from courtyard.models import Campaign, Pledge
from courtyard.services.payments import card_close_charges
from courtyard.services.payments import card_settlement
from courtyard.services.pledges import pledge_states
from courtyard.services.campaigns.campaigns import progress, transition

from courtyard.services.operations.checkpoint import checkpoint

log = logging.getLogger(__name__)


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
        checkpoint()  # the decision stands even if settling a pledge fails
    return settle(campaign, now)


def settle(campaign, now):
    """Capture holds and charge saved cards (funded), or release and refund (failed) what is still held;
    returns counts (``captured``: money taken, by either way; ``needs_action``: cards the bank refused)."""
    counts = {"captured": 0, "needs_action": 0, "pending": 0, "released": 0, "refunded": 0,
              "cancelled": 0, "skipped": 0, "errors": 0}
    if campaign.state not in ("funded", "failed"):
        return counts
    states = ("authorized",) if campaign.state == "funded" else ("authorized", "awaiting_transfer", "paid", "needs_action")
    pledges = db.session.scalars(select(Pledge).where(Pledge.campaign_id == campaign.id, Pledge.state.in_(states))
                                 .order_by(Pledge.id)).all()
    for pledge in pledges:
        try:
            outcome = _settle_one(campaign, pledge, now)
            checkpoint()  # this pledge's capture, charge or release and its letter, one transaction
        except Exception:  # a payment error leaves the pledge as it was, for the next run
            log.exception("Settling pledge %s of campaign %s failed; tried again next run", pledge.id, campaign.id)
            db.session.rollback()
            counts["errors"] += 1
        else:
            counts[outcome] += 1
    return counts


def _settle_one(campaign, pledge, now):
    if campaign.state == "funded" and card_close_charges.charges_at_close(pledge):
        outcome = card_close_charges.charge_saved_card(pledge, now)
        return "captured" if outcome == "paid" else outcome  # the money is taken, as a captured hold
    if campaign.state == "funded":
        card_settlement.capture(pledge)
        notify("campaign_funded", pledge)
        return "captured"
    if pledge.state in ("authorized", "needs_action"):
        card_settlement.release(pledge, "released")  # and tells the unit the campaign failed
        return "released"
    if pledge.state == "awaiting_transfer":
        pledge_states.mark_cancelled(pledge, by_unit=False, action="pledge_cancelled_campaign_failed")
        return "cancelled"
    # paid (by transfer, or a flexible card payment) in a failed campaign: it is paid back
    card_settlement.refund(pledge, pledge.total_fen - pledge.refunded_fen, "campaign failed", None)
    notify("campaign_failed", pledge)
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
