"""Payouts to households: never more than owed, oldest debt first, batches, reversals, races."""

import threading

import pytest

from courtyard.errors import DomainError
from courtyard.extensions import db
from courtyard.models import AuditEvent, Household, LedgerTransaction
from courtyard.services.money import ledger, payouts
from tests.ledger.support import NOW, accept, owed, paid_campaign


def _pay(app, household_id, amount, method="bank", reference="YH001"):
    with app.app_context():
        return payouts.record_payout(None, db.session.get(Household, household_id), amount, method, reference, NOW).id


def test_a_payout_reduces_what_is_owed_and_cannot_exceed_it(app, make):
    """Paying part leaves the rest owed; asking for a fen more than owed is refused with the figure."""
    campaign_id, item_id, _ = paid_campaign(app)
    household = make.household(make.village())
    accept(app, household.id, campaign_id, item_id, 4)
    _pay(app, household.id, 2000)
    assert owed(app, household.id) == 4000
    with pytest.raises(DomainError) as refused:
        _pay(app, household.id, 4001)
    assert "40.00" in str(refused.value.message) and refused.value.field == "amount"
    _pay(app, household.id, 4000, method="cash", reference="")
    assert owed(app, household.id) == 0


@pytest.mark.parametrize("amount, method", [(0, "bank"), (-5, "bank"), (100, "wechat")])
def test_bad_payouts_are_refused_and_nothing_is_written(app, make, amount, method):
    """Zero, negative amounts and unknown methods are user errors, not crashes."""
    campaign_id, item_id, _ = paid_campaign(app)
    household = make.household(make.village())
    accept(app, household.id, campaign_id, item_id, 1)
    with pytest.raises(DomainError):
        _pay(app, household.id, amount, method)
    with app.app_context():
        assert db.session.query(LedgerTransaction).filter_by(kind="payout").count() == 0


def test_a_bank_payout_needs_a_bank_card(app, make):
    """A household with no card on record is paid in cash."""
    campaign_id, item_id, _ = paid_campaign(app)
    household = make.household(make.village())
    with app.app_context():
        row = db.session.get(Household, household.id)
        row.bank_card, row.bank_card_last4 = None, ""
        db.session.commit()
    accept(app, household.id, campaign_id, item_id, 1)
    with pytest.raises(DomainError):
        _pay(app, household.id, 100, "bank")
    _pay(app, household.id, 100, "cash")


def test_paying_a_village_pays_everyone_everything_owed_in_one_batch(app, make):
    """The batch pays each owed household in full and leaves other villages alone; it is audited."""
    campaign_id, item_id, _ = paid_campaign(app)
    village, elsewhere = make.village(), make.village()
    first, second, none = (make.household(village) for _ in range(3))
    other = make.household(elsewhere)
    accept(app, first.id, campaign_id, item_id, 2)
    accept(app, second.id, campaign_id, item_id, 3)
    accept(app, other.id, campaign_id, item_id, 1)
    with app.app_context():
        batch = payouts.pay_village(None, village.id, "bank", NOW)
        assert sorted((p.household_id, p.amount_fen) for p in batch.payouts) == [(first.id, 3000), (second.id, 4500)]
        assert db.session.query(AuditEvent).filter_by(action="payout_batch_recorded").count() == 1
        with pytest.raises(DomainError):
            payouts.pay_village(None, village.id, "bank", NOW)
    assert (owed(app, first.id), owed(app, second.id), owed(app, none.id), owed(app, other.id)) == (0, 0, 0, 1500)


def test_a_reversed_payout_is_owed_again_and_goods_already_paid_cannot_be_reversed(app, make):
    """Reversing a payout restores the debt; reversing goods the household was already paid for is refused."""
    campaign_id, item_id, _ = paid_campaign(app)
    household = make.household(make.village())
    acceptance = accept(app, household.id, campaign_id, item_id, 2)
    payout_id = _pay(app, household.id, 3000)
    with app.app_context():
        with pytest.raises(DomainError):
            ledger.reverse(None, db.session.get(LedgerTransaction, acceptance), "wrong household", NOW)
        ledger.reverse(None, db.session.get(LedgerTransaction, payout_id), "card number wrong, bank returned it", NOW)
    assert owed(app, household.id) == 3000


def test_payouts_pay_the_oldest_campaign_first(app, make):
    """A payout splits across campaigns oldest debt first, so each campaign's owed figure stays true."""
    first_campaign, item_id, _ = paid_campaign(app)
    second_campaign, _, _ = paid_campaign(app)
    household = make.household(make.village())
    accept(app, household.id, first_campaign, item_id, 1)
    accept(app, household.id, second_campaign, item_id, 2)
    _pay(app, household.id, 2000)
    with app.app_context():
        assert ledger.owed_by_campaign(household.id) == {second_campaign: 2500}


def test_two_payouts_at_once_cannot_together_exceed_what_is_owed(app, make):
    """Two clerks paying the same household its whole debt at the same moment: one succeeds, one is refused."""
    campaign_id, item_id, _ = paid_campaign(app)
    household = make.household(make.village())
    accept(app, household.id, campaign_id, item_id, 4)
    outcomes, barrier = [], threading.Barrier(2)

    def clerk():
        with app.app_context():
            target = db.session.get(Household, household.id)
            barrier.wait()
            try:
                payouts.record_payout(None, target, 6000, "cash", "", NOW)
                outcomes.append("paid")
            except DomainError:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "refused"]
    assert owed(app, household.id) == 0
