"""Opening a staff offer: the budget must cover everyone's allowance, and the offer names what is wrong."""

from datetime import timedelta

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import PartnerUnit
from courtyard.services.staff_offers import offers, roll
from tests.support.campaigns import NOW, make_buyer, make_campaign


def _setup(app, budget_fen, staff=10):
    campaign = make_campaign(app)
    buyer = make_buyer(app, budget_fen=budget_fen)
    with app.app_context():
        unit = db.session.get(PartnerUnit, buyer.id)
        roll.add_staff(None, unit, "\n".join(f"人{n} 1390000{n:04d}" for n in range(staff)), NOW)
        db.session.commit()
    return campaign, buyer


def test_an_offer_the_budget_cannot_cover_says_how_much_is_short(app):
    """10 people × ¥300 with ¥2,000 left: is the offer refused with ¥1,000.00 short?"""
    campaign, buyer = _setup(app, budget_fen=200_000)
    with app.app_context():
        unit = db.session.get(PartnerUnit, buyer.id)
        with pytest.raises(DomainError, match="¥1,000.00 short") as refused:
            offers.open_offer(None, unit, campaign.id, campaign.offer_ids, buyer.address_ids, 30_000, 1,
                              NOW + timedelta(days=2), "transfer", NOW)
        assert refused.value.field == "allowance"


def test_the_deadline_falls_before_the_campaign_closes(app):
    """Is a deadline after the campaign's close refused at the deadline field?"""
    campaign, buyer = _setup(app, budget_fen=10_000_000)
    with app.app_context():
        unit = db.session.get(PartnerUnit, buyer.id)
        with pytest.raises(DomainError) as refused:
            offers.open_offer(None, unit, campaign.id, campaign.offer_ids, buyer.address_ids, 30_000, 1,
                              NOW + timedelta(days=30), "transfer", NOW)
        assert refused.value.field == "deadline"


def test_a_pasted_roll_is_all_or_nothing(app):
    """One line without a mobile number: is nobody added, and the line named?"""
    buyer = make_buyer(app)
    with app.app_context():
        unit = db.session.get(PartnerUnit, buyer.id)
        with pytest.raises(DomainError, match="Line 2"):
            roll.add_staff(None, unit, "张伟 13800000001\n李娜 0452-123\n", NOW)
        db.session.rollback()
        assert roll.parse_people("张伟，13800000001\n\n李娜\t138 0000 0002") == [
            ("张伟", "13800000001"), ("李娜", "13800000002")]
