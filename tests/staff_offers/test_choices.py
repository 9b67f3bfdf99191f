"""Staff choose their own packages within the allowance; the stock they hold moves with each change."""

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import CampaignPackage, StaffChoice, StaffMember, StaffOffer
from courtyard.services.staff_offers import choices, roll
from tests.support.staff_offers import make_staff_offer


def _choose(w, member_index, quantities, address_index=0, now=None):
    offer = db.session.get(StaffOffer, w.id)
    member = db.session.get(StaffMember, w.member_ids[member_index])
    return choices.choose(member, offer, quantities, w.address_ids[address_index], now or w.now)


def _sold(offer_id):
    return db.session.get(CampaignPackage, offer_id).sold


def test_a_choice_holds_stock_and_a_change_moves_only_the_difference(app):
    """Does choosing take the packages from stock, and changing give back what was dropped?"""
    w = make_staff_offer(app, cap=10)
    a, b = w.offer_ids
    with app.app_context():
        _choose(w, 0, {a: 1})
        _choose(w, 1, {a: 1, b: 1}, address_index=1)
        assert (_sold(a), _sold(b)) == (2, 1)
        _choose(w, 0, {b: 1})  # changed her mind
        db.session.expire_all()
        assert (_sold(a), _sold(b)) == (1, 2)
        _choose(w, 1, {})  # withdrew
        db.session.expire_all()
        assert (_sold(a), _sold(b)) == (0, 1)
        assert db.session.query(StaffChoice).count() == 1


def test_a_choice_stays_within_the_allowance_the_limit_and_the_offer(app):
    """Is a choice above the allowance, above the per-person limit, or of another package refused, with nothing held?"""
    w = make_staff_offer(app, price_fen=30_000, allowance_fen=50_000, per_person=1)
    a, b = w.offer_ids
    with app.app_context():
        with pytest.raises(DomainError, match="allowance"):
            _choose(w, 0, {a: 1, b: 1})
        with pytest.raises(DomainError, match="at most 1"):
            _choose(w, 0, {a: 2})
        with pytest.raises(DomainError, match="from this offer"):
            _choose(w, 0, {a + b + 100: 1})
        assert (_sold(a), _sold(b)) == (0, 0) and db.session.query(StaffChoice).count() == 0


def test_no_choice_after_the_deadline(app):
    """Once the deadline has passed, is a change refused?"""
    w = make_staff_offer(app)
    with app.app_context():
        with pytest.raises(DomainError, match="closed"):
            _choose(w, 0, {w.offer_ids[0]: 1}, now=w.deadline)


def test_the_campaigns_per_address_limit_counts_staff_choices(app):
    """With 2 packages per address, is the third person choosing that canteen told, while another point still takes it?"""
    w = make_staff_offer(app, limit_per_address=2)
    a = w.offer_ids[0]
    with app.app_context():
        _choose(w, 0, {a: 1})
        _choose(w, 1, {a: 1})
        with pytest.raises(DomainError, match="at most 2"):
            _choose(w, 2, {a: 1})
        _choose(w, 2, {a: 1}, address_index=1)
        assert _sold(a) == 3


def test_taking_someone_off_the_roll_gives_back_their_packages(app):
    """Does removing a person drop their open choice and return its stock, and stop their sign-ins?"""
    w = make_staff_offer(app)
    a = w.offer_ids[0]
    with app.app_context():
        _choose(w, 0, {a: 1})
        member = db.session.get(StaffMember, w.member_ids[0])
        roll.remove_staff(None, member, w.now)
        db.session.commit()
        assert _sold(a) == 0 and db.session.query(StaffChoice).count() == 0
        assert not member.user.active
