"""Pledges hold stock within caps, limits and budgets; transfers are recorded or expire."""

import threading
from datetime import timedelta

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CampaignPackage, Pledge
from courtyard.services.campaigns.campaigns import progress
from courtyard.services.money.budgets import budget_of
from courtyard.services.pledges import pledges
from courtyard.services.pledges.pledges import LineInput
from tests.support.campaigns import NOW, make_buyer, make_campaign


def _pledge(app, unit, campaign, quantity, method="transfer", offer=0, address=0, now=NOW):
    with app.app_context():
        pledge = pledges.create_pledge(None, unit.id, campaign.id,
                                       [LineInput(campaign.offer_ids[offer], unit.address_ids[address], quantity)], method, now)
        return pledge.id


def _sold(app, offer_id):
    with app.app_context():
        return db.session.get(CampaignPackage, offer_id).sold


def test_pledge_holds_stock_and_totals_the_price(app):
    """Does a pledge take its packages from the cap and cost quantity x price?"""
    campaign, unit = make_campaign(app, cap=10, price_fen=16800), make_buyer(app)
    pledge_id = _pledge(app, unit, campaign, 3)
    with app.app_context():
        pledge = db.session.get(Pledge, pledge_id)
        assert pledge.total_fen == 50400 and pledge.state == "awaiting_transfer" and pledge.reference.startswith("CY")
        assert pledge.transfer_due_at == NOW + timedelta(days=7)
    assert _sold(app, campaign.offer_ids[0]) == 3


def test_cannot_pledge_more_than_is_left(app):
    """Is a pledge beyond the cap refused with how many are left, holding nothing?"""
    campaign, unit = make_campaign(app, cap=5), make_buyer(app)
    _pledge(app, unit, campaign, 4)
    with pytest.raises(DomainError, match="1"):
        _pledge(app, unit, campaign, 2)
    assert _sold(app, campaign.offer_ids[0]) == 4


def test_concurrent_pledges_sell_exactly_the_cap(app):
    """Do 16 threads racing for the last 5 packages sell exactly 5, never more?"""
    campaign = make_campaign(app, cap=5)
    buyers = [make_buyer(app, name=f"并发单位{n}") for n in range(16)]
    outcomes = []
    barrier = threading.Barrier(len(buyers))

    def buy(unit):
        barrier.wait()
        try:
            _pledge(app, unit, campaign, 1)
            outcomes.append("ok")
        except DomainError:
            outcomes.append("sold out")
        finally:
            with app.app_context():
                db.session.remove()

    threads = [threading.Thread(target=buy, args=(unit,)) for unit in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes.count("ok") == 5 and outcomes.count("sold out") == 11
    assert _sold(app, campaign.offer_ids[0]) == 5
    with app.app_context():
        assert db.session.query(Pledge).count() == 5


def test_limit_per_unit_and_per_address(app):
    """Are the per-unit and per-address limits enforced across a unit's pledges?"""
    campaign, unit = make_campaign(app, limit_per_unit=3), make_buyer(app)
    _pledge(app, unit, campaign, 2)
    with pytest.raises(DomainError, match="3"):
        _pledge(app, unit, campaign, 2)
    campaign2, unit2 = make_campaign(app, limit_per_address=1), make_buyer(app, addresses=2)
    _pledge(app, unit2, campaign2, 1, address=0)
    _pledge(app, unit2, campaign2, 1, address=1)
    with pytest.raises(DomainError):
        _pledge(app, unit2, campaign2, 1, address=0)


def test_budget_refuses_unless_allowed(app):
    """Is a pledge beyond the unit's remaining budget refused with a clear message, unless the county allowed it?"""
    campaign, unit = make_campaign(app, price_fen=10000), make_buyer(app, budget_fen=25000)
    _pledge(app, unit, campaign, 2)
    with pytest.raises(DomainError, match="¥50.00"):
        _pledge(app, unit, campaign, 1)
    with app.app_context():
        from courtyard.models import PartnerUnit

        db.session.get(PartnerUnit, unit.id).allow_over_budget = True
        db.session.commit()
    _pledge(app, unit, campaign, 1)
    with app.app_context():
        from courtyard.models import PartnerUnit

        budget = budget_of(db.session.get(PartnerUnit, unit.id), NOW)
        assert (budget.spent_fen, budget.committed_fen, budget.remaining_fen) == (0, 30000, -5000)


def test_recorded_transfer_pays_and_counts_towards_the_goal(app):
    """Does recording the exact transfer make the pledge paid, spent from the budget and counted in progress?"""
    campaign, unit = make_campaign(app, goal_value=2), make_buyer(app)
    pledge_id = _pledge(app, unit, campaign, 2)
    with app.app_context():
        pledge = db.session.get(Pledge, pledge_id)
        with pytest.raises(DomainError):
            pledges.record_transfer(None, pledge, pledge.total_fen - 1, "B123", NOW, NOW)
        pledges.record_transfer(None, pledge, pledge.total_fen, "B123", NOW, NOW)
        assert pledge.state == "paid"
        shown = progress(pledge.campaign, NOW)
        assert shown.packages == 2 and shown.reached and shown.units == 1
        assert budget_of(pledge.unit, NOW).spent_fen == pledge.total_fen


def test_unpaid_transfers_expire_and_free_stock(app):
    """Do transfers not received within the grace period expire and give their packages back, once?"""
    campaign, unit = make_campaign(app, cap=5), make_buyer(app)
    _pledge(app, unit, campaign, 3)
    with app.app_context():
        assert pledges.expire_unpaid(NOW + timedelta(days=6)) == 0
        assert pledges.expire_unpaid(NOW + timedelta(days=8)) == 1
        assert pledges.expire_unpaid(NOW + timedelta(days=9)) == 0
    assert _sold(app, campaign.offer_ids[0]) == 0


def test_card_pledges_never_paid_expire(app):
    """Does a card pledge whose card was never given give its packages back after an hour, and not before?"""
    campaign, unit = make_campaign(app, cap=5), make_buyer(app)
    _pledge(app, unit, campaign, 2, method="card")
    with app.app_context():
        assert pledges.expire_unpaid(NOW + timedelta(minutes=30)) == 0
        assert pledges.expire_unpaid(NOW + timedelta(minutes=61)) == 1
    assert _sold(app, campaign.offer_ids[0]) == 0


def test_closed_or_draft_campaign_takes_no_pledges(app):
    """Is a pledge refused for a draft campaign and after the closing time?"""
    draft, unit = make_campaign(app, state="draft"), make_buyer(app)
    with pytest.raises(DomainError):
        _pledge(app, unit, draft, 1)
    open_one = make_campaign(app)
    with pytest.raises(DomainError):
        _pledge(app, unit, open_one, 1, now=NOW + timedelta(days=11))
