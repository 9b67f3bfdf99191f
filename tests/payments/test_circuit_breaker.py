"""The payment server's circuit breaker: it opens after repeated failures, then refuses calls at once, lets one
trial through after the cool-down, closes on an answer, and is shared by every worker (two app instances on one
database; Redis when configured)."""

import shutil
import socket
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest

from courtyard import create_app
from courtyard.extensions import db
from courtyard.payments.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from courtyard.payments.breaker_stores import DatabaseBreakerStore, RedisBreakerStore
from courtyard.payments.client import StripeClient
from courtyard.payments.errors import PaymentServicePaused, PaymentServiceUnavailable
from courtyard.services.payments.payment_guard import payment_breaker, payments_paused
from tests.support.hung_servers import SilentServer


class Clock:
    """UTC time the test moves by hand."""

    def __init__(self):
        self.now = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def database_store(app):
    with app.app_context():
        yield DatabaseBreakerStore(db.engine)


def _breaker(store, clock, name="stripe"):
    return CircuitBreaker(store, name, threshold=3, cooldown=20, clock=clock)


def _check_the_whole_cycle(store, clock):
    """Opens at the third failure in a row, refuses until the cool-down ends, lets one trial through, closes."""
    worker_a, worker_b = _breaker(store, clock), _breaker(store, clock)
    worker_a.record_failure("ReadTimeout")
    worker_b.record_failure("ReadTimeout")
    assert worker_a.allow() and worker_b.allow()
    worker_b.record_failure("ReadTimeout")
    assert worker_a.state().status(clock()) == OPEN
    assert not worker_a.allow() and not worker_b.allow()

    clock.advance(21)
    assert worker_a.state().status(clock()) == HALF_OPEN
    assert worker_a.allow()  # the one trial call
    assert not worker_b.allow()  # everyone else still answers at once
    worker_a.record_success()
    assert worker_b.state().status(clock()) == CLOSED
    assert worker_b.allow()


def test_breaker_on_the_database_opens_refuses_half_opens_and_closes(database_store, clock):
    """With its state in the database, does the breaker go through its whole cycle, shared by two workers?"""
    _check_the_whole_cycle(database_store, clock)


def test_a_failed_trial_opens_the_breaker_again(database_store, clock):
    """When the trial call after the cool-down fails too, are calls refused for another cool-down?"""
    breaker = _breaker(database_store, clock)
    for _ in range(3):
        breaker.record_failure("ConnectTimeout")
    clock.advance(21)
    assert breaker.allow()
    breaker.record_failure("ReadTimeout")
    assert not breaker.allow()
    clock.advance(21)
    assert breaker.allow()


def test_any_answer_in_between_keeps_it_closed(database_store, clock):
    """Do failures have to come in a row: is the count started again by any answer of the server?"""
    breaker = _breaker(database_store, clock)
    breaker.record_failure("ReadTimeout")
    breaker.record_failure("ReadTimeout")
    breaker.allow()
    breaker.record_success()
    breaker.record_failure("ReadTimeout")
    breaker.record_failure("ReadTimeout")
    assert breaker.allow()
    assert breaker.state().failures == 2


def test_an_open_breaker_answers_without_calling_the_server(database_store, clock):
    """While it is open, does a web request's client refuse at once, never connecting to the hung server?"""
    breaker = _breaker(database_store, clock)
    for _ in range(3):
        breaker.record_failure("ReadTimeout")
    silent = SilentServer()
    try:
        client = StripeClient("sk_test_x", silent.url, timeout=(0.2, 0.2), max_network_retries=0, breaker=breaker,
                              gated=True)
        with pytest.raises(PaymentServicePaused):
            client.create_payment_intent(5000, idempotency_key="courtyard:pledge:1:create:1")
        assert silent.accepted == 0
    finally:
        silent.close()


def test_hung_calls_open_the_breaker(database_store, clock):
    """Do calls that time out count as failures, so that the third one in a row opens the breaker?"""
    silent = SilentServer()
    try:
        client = StripeClient("sk_test_x", silent.url, timeout=(0.2, 0.2), max_network_retries=0,
                              breaker=_breaker(database_store, clock), gated=True)
        for _ in range(3):
            with pytest.raises(PaymentServiceUnavailable):
                client.retrieve_payment_intent("pi_1")
        with pytest.raises(PaymentServicePaused):
            client.retrieve_payment_intent("pi_1")
        assert silent.accepted == 3
    finally:
        silent.close()


def test_two_app_instances_share_the_breaker_through_the_database(app):
    """When one app instance (one worker) sees the payment server fail three times, does a second instance on the
    same database answer card actions at once too?"""
    other = create_app(_same_config(app))
    with other.app_context():
        assert not payments_paused()
    with app.app_context():
        for _ in range(app.config["STRIPE_BREAKER_FAILURES"]):
            payment_breaker().record_failure("ReadTimeout")
    with other.app_context():
        assert payments_paused()
        db.engine.dispose()


def _same_config(app):
    from courtyard.config import TestConfig

    return type("SecondWorker", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                                "UPLOAD_DIR": app.config["UPLOAD_DIR"]})


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("no redis-server on this machine")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        import redis

        for _ in range(100):
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_breaker_on_redis_opens_refuses_half_opens_and_closes(redis_url, clock):
    """With its state in Redis, does the breaker go through the same cycle, shared by two workers?"""
    _check_the_whole_cycle(RedisBreakerStore(redis_url), clock)


def test_an_unreachable_redis_lets_calls_through(clock):
    """If the breaker's Redis is down, are card payments still tried rather than refused?"""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    breaker = _breaker(RedisBreakerStore(f"redis://127.0.0.1:{port}/0"), clock)
    for _ in range(3):
        breaker.record_failure("ReadTimeout")
    assert breaker.allow()
