"""Fixtures for the payments tests: the Stripe client against one real localstripe per session and a recording
HTTP server; for the card payment flow, the app pointed at localstripe for a test (``stripe_config``), payment
server outages and a webhook inbox (pledges in any state: ``tests/support/pledge_fixtures.py``)."""

import json
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import requests
from sqlalchemy import func, select

from courtyard.devservices.stripe_mock import register_webhook, running_stripe_mock
from courtyard.extensions import db
from courtyard.models import Pledge, SavedCard
from courtyard.payments.client import StripeClient
from courtyard.payments.webhooks import SIGNATURE_HEADER
from courtyard.services.payments import card_payments
from tests.support.stripe_fixtures import API_KEY, WEBHOOK_SECRET

CLIENT_API_KEY = "sk_test_courtyard"


@pytest.fixture(scope="session")
def stripe_mock_url(tmp_path_factory):
    with running_stripe_mock(tmp_path_factory.mktemp("localstripe")) as base_url:
        yield base_url


@pytest.fixture
def stripe_client(stripe_mock_url):
    return StripeClient(CLIENT_API_KEY, stripe_mock_url, localstripe_compat=True, timeout=5,
                        retry_backoff=0.01)


@pytest.fixture
def visa(stripe_client):
    return "pm_card_visa"  # Stripe's ready-made test PaymentMethod (localstripe knows it too)


@pytest.fixture
def pledge_id():
    """A pledge id no other test uses: the localstripe server is shared by the session."""
    return f"pledge-{uuid.uuid4().hex[:12]}"


class RecordingServer(ThreadingHTTPServer):
    """Records every request; ``replies`` says how to answer each in turn (the last repeats).

    A reply is ``(status, body_dict)``, ``(status, body_dict, headers)``, or ``"drop"`` to close
    the connection without answering.
    """

    daemon_threads = True

    def __init__(self, replies):
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        self.replies = list(replies)
        self.requests = []
        self.received = threading.Event()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def next_reply(self):
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


class _RecordingHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.requests.append({"method": self.command, "path": self.path,
                                     "headers": dict(self.headers), "body": body})
        self.server.received.set()
        reply = self.server.next_reply()
        if reply == "drop":
            self.close_connection = True
            return
        status, payload, headers = (tuple(reply) + ({},))[:3]
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def recording_server():
    """Start a :class:`RecordingServer`: ``recording_server(reply, …)``; stopped after the test."""
    servers = []

    def start(*replies):
        server = RecordingServer(replies or [(200, {})])
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()




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
def pay(app, save_card):
    """``pay(pledge, card=VISA, **kwargs)``: the unit saves the test card, then pays with it (pay_by_card in
    its own app context); returns the pledge's state."""
    def run(pledge, card="4242424242424242", **kwargs):
        card_id = save_card(pledge.unit_id, card.replace(" ", ""))
        with app.app_context():
            return card_payments.pay_by_card(db.session.get(Pledge, pledge.id), db.session.get(SavedCard, card_id),
                                             **kwargs).state
    return run
