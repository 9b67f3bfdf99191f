"""A campaign's progress, kept on the campaign, always equals what its pledge lines add up to.

Pledges are made, paid, refunded in part, cancelled (refunded in full or waiting for a transfer) and
left to expire in a seeded random order; after every step the packages, money and units shown on
the campaign's page equal a fresh count over its pledges and lines.
"""

import random
from datetime import timedelta

from sqlalchemy import distinct, func, select

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import Campaign, Pledge, PledgeLine
from courtyard.services.campaigns.campaign_progress import COUNTED_STATES, recount_all
from courtyard.services.campaigns.campaigns import progress
from courtyard.services.payments import card_settlement
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import NOW, make_buyer, make_campaign


def _counted(campaign_id):
    """(packages, money less refunds, units) summed afresh from the pledges and their lines."""
    counted = (Pledge.campaign_id == campaign_id, Pledge.state.in_(COUNTED_STATES))
    packages = db.session.scalar(select(func.coalesce(func.sum(PledgeLine.quantity), 0)).join(Pledge).where(*counted))
    money = db.session.scalar(select(func.coalesce(func.sum(Pledge.total_fen - Pledge.refunded_fen), 0)).where(*counted))
    units = db.session.scalar(select(func.count(distinct(Pledge.unit_id))).where(*counted))
    return int(packages), int(money), int(units)


def _shown(campaign_id, now):
    shown = progress(db.session.get(Campaign, campaign_id), now)
    return shown.packages, shown.amount_fen, shown.units


def _step(rng, campaign, buyers, now):
    """One thing a unit or the county does to a pledge of the campaign."""
    action = rng.choice(("pledge", "pledge", "pay", "pay", "refund", "cancel", "expire"))
    wanted = {"pay": ("awaiting_transfer",), "refund": ("paid",)}.get(action, ("awaiting_transfer", "paid"))
    pledge_ids = db.session.scalars(select(Pledge.id).where(Pledge.campaign_id == campaign.id,
                                                            Pledge.state.in_(wanted))).all()
    try:
        if action == "pledge" or not pledge_ids:
            unit = rng.choice(buyers)
            pledges.create_pledge(None, unit.id, campaign.id, [LineInput(campaign.offer_ids[rng.randrange(2)],
                                                                          unit.address_ids[0], rng.randint(1, 3))],
                                  "transfer", now)
        elif action == "expire":
            pledges.expire_unpaid(now + timedelta(days=rng.choice((0, 0, 0, 8))))
        else:
            pledge = db.session.get(Pledge, rng.choice(pledge_ids))
            if action == "pay":
                pledges.record_transfer(None, pledge, pledge.total_fen, "BANK1", now, now)
            elif action == "refund":
                card_settlement.refund(pledge, rng.randint(1, 5000), "goodwill", None, now=now)
            else:
                card_settlement.cancel_by_unit(pledge, None, now)
    except DomainError:
        db.session.rollback()  # not allowed in this state: nothing may have moved
    return action


def test_progress_on_the_campaign_equals_its_pledge_lines_after_every_step(app):
    """After pledges, payments, refunds, cancellations and expiries in any order, is the shown progress
    exactly the sum over the campaign's counted pledge lines?"""
    campaign = make_campaign(app, cap=500, packages=2, price_fen=4000)
    other = make_campaign(app, cap=500, price_fen=4000)
    buyers = [make_buyer(app, name=f"进度单位{n}") for n in range(4)]
    rng = random.Random(25)
    done, most = set(), 0
    with app.app_context():
        pledges.create_pledge(None, buyers[0].id, other.id, [LineInput(other.offer_ids[0], buyers[0].address_ids[0], 2)],
                              "transfer", NOW)
        for _ in range(60):
            done.add(_step(rng, campaign, buyers, NOW))
            db.session.expire_all()
            assert _shown(campaign.id, NOW) == _counted(campaign.id)
            most = max(most, _counted(campaign.id)[0])
        assert most > 0 and done == {"pledge", "pay", "refund", "cancel", "expire"}
        assert _shown(other.id, NOW) == (0, 0, 0)  # its pledge was never paid; the other campaign's steps leave it be


def test_recount_matches_rows_written_without_the_session(app):
    """Pledges written as plain rows (the county-sized demo) show once the campaigns are recounted."""
    campaign, unit = make_campaign(app, cap=50), make_buyer(app)
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                       [LineInput(campaign.offer_ids[0], unit.address_ids[0], 4)], "transfer", NOW)
        db.session.connection().execute(Pledge.__table__.update().where(Pledge.__table__.c.id == pledge.id)
                                        .values(state="paid"))
        db.session.commit()
        assert _shown(campaign.id, NOW) == (0, 0, 0)
        recount_all(db.session)
        db.session.commit()
        assert _shown(campaign.id, NOW) == (4, 4 * 16800, 1) == _counted(campaign.id)
