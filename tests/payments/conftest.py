"""Fixtures for the payments tests: one real localstripe per session and a recording HTTP server."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from courtyard.devservices.stripe_mock import running_stripe_mock
from courtyard.payments.client import StripeClient

API_KEY = "sk_test_courtyard"


@pytest.fixture(scope="session")
def stripe_mock_url(tmp_path_factory):
    with running_stripe_mock(tmp_path_factory.mktemp("localstripe")) as base_url:
        yield base_url


@pytest.fixture
def stripe_client(stripe_mock_url):
    return StripeClient(API_KEY, stripe_mock_url, localstripe_compat=True, timeout=5,
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
