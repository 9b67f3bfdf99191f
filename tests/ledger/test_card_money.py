"""Card money reaches the ledger: a captured hold is posted once, a card refund is posted once."""

from courtyard.extensions import db
from courtyard.models import LedgerTransaction, Pledge
from courtyard.models.types import utcnow
from courtyard.services.money import ledger
from courtyard.services.payments import card_settlement
from tests.services.test_campaign_close import _after_close, _card_pledge
from tests.support.campaigns import make_campaign


def test_capturing_holds_posts_each_payment_once_and_a_card_refund_too(app, stripe_config, stripe_api):
    """Closing a funded campaign twice posts each capture once; refunding part of one posts the refund."""
    campaign = make_campaign(app, around=utcnow(), goal_value=3, price_fen=10000)
    held = [_card_pledge(app, campaign, 2), _card_pledge(app, campaign, 1)]
    _after_close(app, campaign)
    _after_close(app, campaign)
    with app.app_context():
        card_settlement.refund(db.session.get(Pledge, held[0]), 5000, "one package short", None)
        kinds = [t.kind for t in db.session.query(LedgerTransaction).order_by(LedgerTransaction.id)]
        balances, balanced = ledger.trial_balance()
    assert kinds == ["payment_captured", "payment_captured", "refund"]
    assert balances["bank"] == 30000 - 5000 and balanced
