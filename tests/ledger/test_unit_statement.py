"""A partner unit's statement shows its pledges, payments, refunds and invoices, and no other unit's."""

import time_machine

from courtyard.extensions import db
from courtyard.models import Pledge
from courtyard.services.payments import card_settlement
from tests.ledger.support import NOW, paid_campaign
from tests.support.factories import login


def test_the_unit_statement_lists_payments_refunds_and_invoices(app, client, make):
    """Paid ¥336, refunded ¥10: net ¥326; the pledge shows with its invoice state."""
    _campaign, _item, pledge_id = paid_campaign(app, quantity=2)
    with app.app_context():
        pledge = db.session.get(Pledge, pledge_id)
        card_settlement.refund(pledge, 1000, "少送一箱", None, now=NOW)
        unit_id, reference = pledge.unit_id, pledge.reference
    other_campaign, _item, other_pledge = paid_campaign(app, quantity=1)
    with app.app_context():
        other_reference = db.session.get(Pledge, other_pledge).reference
    user = make.partner_user(type("Unit", (), {"id": unit_id})())
    with time_machine.travel(NOW, tick=False):
        login(client, user)
        page = client.get("/partner/statement?period=month&start=2026-12-01").get_data(as_text=True)
    assert 'data-figure="paid">¥336.00' in page
    assert 'data-figure="refunded">¥10.00' in page
    assert 'data-figure="net">¥326.00' in page
    assert reference in page and other_reference not in page
