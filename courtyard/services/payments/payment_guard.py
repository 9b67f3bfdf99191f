"""The Stripe client each caller gets, and the payment server's circuit breaker.

A web request gets a client with no retries, short timeouts from the request's one
:class:`~courtyard.payments.budget.TimeBudget` (shared by every call the request makes), one of the
host's few :class:`~courtyard.payments.slots.HostSlots` for each call, and the breaker as a gate: a person waiting on a page has an answer within a few seconds, at once while the
server is known to be down. A job (no request) gets the configured timeouts and retries and only tells
the breaker what it saw. The breaker's state lives in Redis when ``STRIPE_BREAKER_STORAGE_URI`` or
``RATELIMIT_STORAGE_URI`` is a ``redis://`` URL, else in the database, so every worker shares it.
"""

from flask import current_app, g, has_request_context

from courtyard.payments.breaker import CircuitBreaker
from courtyard.payments.breaker_stores import DatabaseBreakerStore, RedisBreakerStore
from courtyard.payments.budget import TimeBudget
from courtyard.payments.client import client_from_config
from courtyard.payments.slots import HostSlots, slots_directory

BREAKER_NAME = "stripe"


def payment_client():
    """The client for now: budgeted and gated in a web request, the jobs' one otherwise."""
    config = current_app.config
    if not has_request_context():
        return client_from_config(config, breaker=payment_breaker())
    budget = g.get("payment_budget")
    if budget is None:
        budget = g.payment_budget = TimeBudget(config["STRIPE_REQUEST_BUDGET_SECONDS"],
                                               config["STRIPE_REQUEST_CONNECT_TIMEOUT"],
                                               config["STRIPE_REQUEST_READ_TIMEOUT"])
    return client_from_config(config, max_network_retries=0, budget=budget, breaker=payment_breaker(), gated=True,
                              slots=_slots(current_app._get_current_object()))


def payment_breaker(app=None):
    """The payment server's breaker, on the store this app shares with its other workers."""
    app = app or current_app._get_current_object()
    return CircuitBreaker(_store(app), BREAKER_NAME, threshold=app.config["STRIPE_BREAKER_FAILURES"],
                          cooldown=app.config["STRIPE_BREAKER_COOLDOWN_SECONDS"])


def payments_paused():
    """True while the breaker is open: card actions answer at once instead of calling the server."""
    return payment_breaker().is_open()


def breaker_storage(config):
    """Where the breaker's state is kept: a ``redis://`` URL, or ``"database"``."""
    for uri in (config.get("STRIPE_BREAKER_STORAGE_URI"), config.get("RATELIMIT_STORAGE_URI")):
        if uri and uri.split(":", 1)[0] in ("redis", "rediss", "unix"):
            return uri
    return "database"


def _slots(app):
    count = app.config.get("STRIPE_REQUEST_SLOTS", 0)
    if not count:
        return None
    if "courtyard_payment_slots" not in app.extensions:
        app.extensions["courtyard_payment_slots"] = HostSlots(
            slots_directory(app.instance_path), count, overdue=app.config["STRIPE_REQUEST_SLOT_OVERDUE_SECONDS"],
            longest_wait=app.config["STRIPE_REQUEST_BUDGET_SECONDS"])
    return app.extensions["courtyard_payment_slots"]


def _store(app):
    stores = app.extensions.setdefault("courtyard_breaker_stores", {})
    where = breaker_storage(app.config)
    if where not in stores:
        from courtyard.extensions import db

        stores[where] = DatabaseBreakerStore(db.engine) if where == "database" else RedisBreakerStore(where)
    return stores[where]


def breaker_panel(app=None):
    """The breaker as the county's jobs page shows it: its status and what led to it."""
    from types import SimpleNamespace

    from courtyard.models.types import utcnow

    app = app or current_app._get_current_object()
    breaker = payment_breaker(app)
    state = breaker.state()
    return SimpleNamespace(status=state.status(utcnow()), failures=state.failures, threshold=breaker.threshold,
                           opened_until=state.opened_until, last_failure_at=state.last_failure_at,
                           last_error=state.last_error, cooldown=int(breaker.cooldown.total_seconds()),
                           storage="redis" if breaker_storage(app.config) != "database" else "database")
