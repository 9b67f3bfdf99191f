"""The demo county has money to show: households earned, some were paid, and the books balance."""

from courtyard.demo.base import build_demo, build_demo_campaigns
from courtyard.demo.ledger import build_demo_ledger
from courtyard.extensions import db
from courtyard.models import Household, LedgerTransaction, User
from courtyard.models.types import utcnow
from courtyard.services.money import ledger
from courtyard.services.money.reconciliation import reconciliation


def test_the_demo_ledger_balances_and_shows_on_household_pages(app):
    """Demo households with a login are owed money; payouts happened; a second run adds nothing."""
    with app.app_context():
        build_demo()
        build_demo_campaigns(utcnow())
        count = db.session.query(LedgerTransaction).count()
        build_demo_ledger(utcnow())
        assert db.session.query(LedgerTransaction).count() == count
        kinds = {t.kind for t in db.session.query(LedgerTransaction)}
        assert {"transfer_received", "goods_accepted", "payout", "cost"} <= kinds
        _balances, balanced = ledger.trial_balance()
        assert balanced and all(row.balanced for row in reconciliation())
        with_login = db.session.query(Household).join(User, User.household_id == Household.id).all()
        assert all(ledger.owed_fen(h.id) >= 0 for h in db.session.query(Household))
        assert sum(ledger.owed_fen(h.id) for h in with_login) > 0
