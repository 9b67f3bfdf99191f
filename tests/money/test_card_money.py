"""Card money reaches the ledger: a captured hold is posted once, a card refund is posted once."""

from courtyard.extensions import db
from courtyard.models import LedgerTransaction, Pledge
from courtyard.models.types import utcnow
from courtyard.services.money import ledger
from courtyard.services.payments import card_settlement
from tests.support.campaigns import make_campaign
from tests.support.card_pledges import after_close, card_pledge


def test_capturing_holds_posts_each_payment_once_and_a_card_refund_too(app, save_card, stripe_config, stripe_api):
    """Closing a funded campaign twice posts each charge of a saved card once; refunding part of one posts the refund."""
    campaign = make_campaign(app, around=utcnow(), goal_value=3, price_fen=10000)
    held = [card_pledge(app, save_card, campaign, 2), card_pledge(app, save_card, campaign, 1)]
    after_close(app, campaign)
    after_close(app, campaign)
    with app.app_context():
        card_settlement.refund(db.session.get(Pledge, held[0]), 5000, "one package short", None)
        db.session.commit()
        kinds = [t.kind for t in db.session.query(LedgerTransaction).order_by(LedgerTransaction.id)]
        balances, balanced = ledger.trial_balance()
    assert kinds == ["payment_captured", "payment_captured", "refund"]
    assert balances["bank"] == 30000 - 5000 and balanced
