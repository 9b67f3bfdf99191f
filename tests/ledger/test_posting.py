"""Posting money events: balanced, idempotent, append-only, reversible with a reason."""

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import LedgerEntry, LedgerTransaction, Pledge
from courtyard.services.money import ledger
from courtyard.services.payments import card_settlement
from tests.ledger.support import NOW, accept, owed, paid_campaign


def _kinds(app):
    with app.app_context():
        return [t.kind for t in db.session.query(LedgerTransaction).order_by(LedgerTransaction.id)]


def test_a_recorded_transfer_puts_the_money_in_the_bank_for_the_unit(app):
    """Recording a unit's transfer posts bank debit / unit funds credit for the pledge's total."""
    _campaign_id, _item_id, pledge_id = paid_campaign(app, quantity=2)
    with app.app_context():
        balances, balanced = ledger.trial_balance()
        total = db.session.get(Pledge, pledge_id).total_fen
    assert _kinds(app) == ["transfer_received"]
    assert balances == {"bank": total, "unit_funds": -total}
    assert balanced


def test_a_refund_takes_the_money_back_out_of_the_bank(app):
    """A partial refund is posted once, against the same unit and campaign."""
    _campaign_id, _item_id, pledge_id = paid_campaign(app, quantity=2)
    with app.app_context():
        pledge = db.session.get(Pledge, pledge_id)
        card_settlement.refund(pledge, 1000, "one box was broken", None, now=NOW)
        balances, balanced = ledger.trial_balance()
        total = pledge.total_fen
    assert _kinds(app) == ["transfer_received", "refund"]
    assert balances["bank"] == total - 1000 and balanced


def test_goods_accepted_make_the_household_owed_and_post_once(app, make):
    """Posting the same collection twice (same source ref) owes the household once."""
    campaign_id, item_id, _ = paid_campaign(app)
    household = make.household(make.village())
    accept(app, household.id, campaign_id, item_id, 4, ref="delivery:1:line:1")
    accept(app, household.id, campaign_id, item_id, 4, ref="delivery:1:line:1")
    assert owed(app, household.id) == 4 * 1500
    assert _kinds(app).count("goods_accepted") == 1


def test_every_transaction_sums_to_zero_and_unbalanced_postings_are_refused(app, make):
    """The posting function refuses legs that do not balance; nothing is written."""
    household = make.household(make.village())
    with app.app_context():
        with pytest.raises(ValueError):
            ledger.post("cost", [ledger.Leg("bank", -100), ledger.Leg("logistics_cost", 90)], at=NOW)
        db.session.rollback()
        assert db.session.query(LedgerEntry).count() == 0
        ledger.post_hosting_fee(household.id, "visit 3", 5000, NOW, "visit:3:host")
        db.session.commit()
        for transaction in db.session.query(LedgerTransaction):
            assert sum(e.amount_fen for e in transaction.entries) == 0


def test_entries_cannot_be_edited_or_deleted(app, make):
    """Changing a written entry raises; corrections go through reversals."""
    household = make.household(make.village())
    with app.app_context():
        ledger.post_hosting_fee(household.id, "visit 1", 5000, NOW, "visit:1:host")
        db.session.commit()
        entry = db.session.query(LedgerEntry).first()
        entry.amount_fen = 1
        with pytest.raises(RuntimeError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.query(LedgerEntry).first())
        with pytest.raises(RuntimeError):
            db.session.flush()
        db.session.rollback()


def test_a_reversal_undoes_an_entry_once_and_needs_a_reason(app, make):
    """Reversing goods accepted by mistake brings the household back to owing nothing; twice is refused."""
    campaign_id, item_id, _ = paid_campaign(app)
    household = make.household(make.village())
    transaction_id = accept(app, household.id, campaign_id, item_id, 2)
    with app.app_context():
        transaction = db.session.get(LedgerTransaction, transaction_id)
        with pytest.raises(DomainError):
            ledger.reverse(None, transaction, "  ", NOW)
        reversal = ledger.reverse(None, transaction, "wrong household", NOW)
        assert reversal.memo == "wrong household" and reversal.reverses_id == transaction_id
        with pytest.raises(DomainError):
            ledger.reverse(None, db.session.get(LedgerTransaction, transaction_id), "again", NOW)
        with pytest.raises(DomainError):
            ledger.reverse(None, reversal, "undo the undo", NOW)
    assert owed(app, household.id) == 0


def test_costs_are_charged_to_the_campaign(app):
    """Logistics paid for a campaign is a campaign cost out of the bank; an unknown kind is refused."""
    campaign_id, _item_id, _ = paid_campaign(app)
    with app.app_context():
        with pytest.raises(DomainError):
            ledger.post_cost(campaign_id, "lunch", 100, "", NOW, None)
        ledger.post_cost(campaign_id, "logistics", 12000, "顺丰 12 箱", NOW, None)
        balances, balanced = ledger.trial_balance()
    assert balances["logistics_cost"] == 12000 and balanced
