"""Fixtures for the card payment flow: one real localstripe per session, the app pointed at it for a
test, payment server outages, a webhook inbox, and pledges built straight from the models."""

import itertools
import json
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import requests
from sqlalchemy import func, select

from courtyard.devservices.stripe_mock import register_webhook
from courtyard.extensions import db
from courtyard.models import (AuditEvent, Campaign, CampaignPackage, CardPayment, DeliveryAddress, Package, Pledge,
                              PledgeLine, Refund)
from courtyard.payments.client import StripeClient
from courtyard.payments.webhooks import SIGNATURE_HEADER
from courtyard.services.payments import card_payments

from tests.support.stripe_fixtures import API_KEY, WEBHOOK_SECRET

HOLDING = ("payment_pending", "awaiting_transfer", "authorized", "paid")
_seq = itertools.count(1)


class OutageSession(requests.Session):
    """Talks to localstripe until a POST to a path ending in ``fails_at``; from then on the server is
    down (requests go to a closed port). With ``delivered`` that last request still reaches the server
    and only its answer is lost."""

    def __init__(self, up_url, down_url, fails_at, delivered):
        super().__init__()
        self.up_url, self.down_url, self.fails_at, self.delivered = up_url, down_url, fails_at, delivered
        self.down = False

    def request(self, method, url, *args, **kwargs):
        if not self.down and method == "POST" and url.endswith(self.fails_at):
            self.down = True
            if self.delivered:
                super().request(method, url, *args, **kwargs)
        if self.down:
            url = url.replace(self.up_url, self.down_url, 1)
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def outage_client(stripe_config, closed_port_url):
    """``outage_client(fails_at="/confirm", delivered=False)``: a client whose server goes down there."""
    def build(fails_at="/confirm", delivered=False):
        session = OutageSession(stripe_config, closed_port_url, fails_at, delivered)
        return StripeClient(API_KEY, stripe_config, localstripe_compat=True, timeout=5, retry_backoff=0.01,
                            max_network_retries=1, session=session)
    return build


@pytest.fixture
def later():
    """A time past the reconcile job's waiting period."""
    return datetime.now(timezone.utc) + timedelta(minutes=10)


@pytest.fixture
def pledge_in(app, make):
    """``pledge_in(state, mode=…, method=…, quantity=…, price_fen=…)``: a pledge of one package,
    its campaign open until next week; the package's ``sold`` counts it while it holds stock."""
    def build(state="payment_pending", *, mode="all_or_nothing", method="card", quantity=2, price_fen=5000,
              closes_in=timedelta(days=7)):
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


@pytest.fixture
def intents_of(stripe_api):
    """``intents_of(pledge)``: every PaymentIntent localstripe holds for the pledge, found by metadata."""
    def find(pledge):
        return stripe_api.find_payment_intents({"pledge_id": pledge.id, "pledge_reference": pledge.reference})
    return find


class _Inbox(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _InboxHandler)
        self.deliveries = []


class _InboxHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.deliveries.append((body, self.headers.get(SIGNATURE_HEADER)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def webhook_inbox(stripe_config):
    """Where localstripe delivers its signed events for this test; ``wait_for(type, intent_id)`` returns
    one delivery as ``(raw body, Stripe-Signature header)``."""
    inbox = _Inbox()
    threading.Thread(target=inbox.serve_forever, args=(0.02,), daemon=True).start()
    register_webhook(stripe_config, f"http://127.0.0.1:{inbox.server_address[1]}/stripe/webhook", WEBHOOK_SECRET,
                     webhook_id="payments-flow")

    def wait_for(kind, intent_id, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body, signature in list(inbox.deliveries):
                event = json.loads(body)
                if event["type"] == kind and event["data"]["object"]["id"] == intent_id:
                    return body, signature
            time.sleep(0.05)
        raise AssertionError(f"localstripe sent no {kind} about {intent_id} within {timeout} s")

    yield SimpleNamespace(wait_for=wait_for)
    register_webhook(stripe_config, "http://127.0.0.1:9/", WEBHOOK_SECRET, webhook_id="payments-flow",
                     events=["nothing.ever"])
    inbox.shutdown()
    inbox.server_close()


@pytest.fixture
def count_rows(app):
    """``count_rows(Model)``: how many rows the table holds."""
    def count(model):
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(model))
    return count


@pytest.fixture
def pay(app):
    """``pay(pledge, card=VISA, **kwargs)``: pay_by_card in its own app context; returns the pledge's state."""
    def run(pledge, card="4242 4242 4242 4242", **kwargs):
        with app.app_context():
            return card_payments.pay_by_card(db.session.get(Pledge, pledge.id), card, **kwargs).state
    return run
