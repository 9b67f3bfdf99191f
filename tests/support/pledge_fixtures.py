"""Pledges in any state, built straight from the models, and a plain-values snapshot of one.

For the payment and pledge-state tests, which start from a pledge already in a state (``pledge_in("authorized")``)
rather than climbing the scenario ladder to it.
"""

import itertools
import time
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from courtyard.extensions import db
from courtyard.models import (AuditEvent, Campaign, CampaignPackage, CardPayment, DeliveryAddress, Package, Pledge,
                              PledgeLine, Refund)

HOLDING = ("payment_pending", "awaiting_transfer", "authorized", "paid", "needs_action")
_seq = itertools.count(1)


@pytest.fixture
def pledge_in(app, make):
    """``pledge_in(state, mode=…, method=…, quantity=…, price_fen=…, closes_in=…)``: a pledge of one package, its
    campaign open for three more days (an all-or-nothing one then holds cards; past six days it saves them); the
    package's ``sold`` counts it while it holds stock."""
    def build(state="payment_pending", *, mode="all_or_nothing", method="card", quantity=2, price_fen=5000,
              closes_in=timedelta(days=3)):
        n, now = next(_seq), datetime.now(timezone.utc)
        unit = make.unit()
        with app.app_context():
            package = Package(name=f"测试套餐{n}", price_fen=price_fen)
            campaign = Campaign(title=f"测试众筹{n}", mode=mode, goal_kind="packages", goal_value=10,
                                opens_at=now - timedelta(days=30), closes_at=now + closes_in, state="open")
            offer = CampaignPackage(campaign=campaign, package=package, price_fen=price_fen, cap=10,
                                    sold=quantity if state in HOLDING else 0)
            address = DeliveryAddress(unit_id=unit.id, label="食堂", address="青山镇政府食堂")
            db.session.add_all([package, campaign, offer, address])
            db.session.flush()
            pledge = Pledge(campaign_id=campaign.id, unit_id=unit.id, method=method, state=state,
                            total_fen=quantity * price_fen, refunded_fen=0, reference=f"CYFLOW{n:04d}{int(time.time()) % 10000:04d}",
                            created_at=now, paid_at=now if state == "paid" else None,
                            lines=[PledgeLine(offer_id=offer.id, address_id=address.id, quantity=quantity,
                                              unit_price_fen=price_fen)])
            db.session.add(pledge)
            db.session.commit()
            return SimpleNamespace(id=pledge.id, reference=pledge.reference, campaign_id=campaign.id, offer_id=offer.id,
                                   unit_id=unit.id, total_fen=pledge.total_fen)
    return build


@pytest.fixture
def snapshot(app):
    """``snapshot(pledge)``: the pledge, its card payment, refunds, stock and audit trail as plain values."""
    def read(pledge):
        with app.app_context():
            row = db.session.get(Pledge, pledge.id)
            card = db.session.scalar(select(CardPayment).where(CardPayment.pledge_id == pledge.id))
            return SimpleNamespace(
                state=row.state, paid_at=row.paid_at, refunded_fen=row.refunded_fen,
                sold=db.session.get(CampaignPackage, pledge.offer_id).sold,
                card_state=card.state if card else None, intent_id=card.intent_id if card else None,
                captured_fen=card.captured_fen if card else None, last_error=card.last_error if card else None,
                refunds=[(r.amount_fen, r.stripe_refund_id) for r in db.session.scalars(
                    select(Refund).where(Refund.pledge_id == pledge.id).order_by(Refund.id))],
                audit=[e.action for e in db.session.scalars(
                    select(AuditEvent).where(AuditEvent.entity == "pledge", AuditEvent.entity_id == pledge.id)
                    .order_by(AuditEvent.id))],
            )
    return read
