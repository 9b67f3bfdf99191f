"""A circuit breaker for the payment server, its state shared by every worker through a store.

Closed, every call goes through. Each call that finds the server down or hung (a network error, a
timeout, a 5xx) adds one to ``failures``; any answer from the server (even a refusal) sets it back to
nought. At ``threshold`` failures in a row the breaker opens for ``cooldown`` seconds: gated callers
(web requests) do not call at all and answer at once. When the cool-down is over the breaker is
half-open: the first caller to claim it (a compare-and-set on ``opened_until``, so one worker among
all) makes one trial call while the others still answer at once; its success closes the breaker, its
failure opens it again for another cool-down.

Ungated callers (the jobs, which have their own retries) never wait on the breaker but report what
they saw: a job that reaches the server closes it.

The stores (:mod:`.breaker_stores`) keep ``failures``, ``opened_until``, ``last_failure_at`` and
``last_error`` in the database or in Redis.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

log = logging.getLogger(__name__)

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


@dataclass(frozen=True)
class BreakerState:
    """What a store holds for one breaker; ``token`` is ``opened_until`` as stored, for compare-and-set."""

    failures: int = 0
    opened_until: datetime | None = None
    last_failure_at: datetime | None = None
    last_error: str = ""
    token: object = None

    def status(self, now):
        if self.opened_until is None:
            return CLOSED
        return OPEN if now < self.opened_until else HALF_OPEN


def _utcnow():
    return datetime.now(timezone.utc)


class CircuitBreaker:
    """The breaker called ``name`` in ``store``; see the module docstring."""

    def __init__(self, store, name="stripe", *, threshold=3, cooldown=20.0, clock=_utcnow):
        self.store, self.name, self.clock = store, name, clock
        self.threshold, self.cooldown = max(1, int(threshold)), timedelta(seconds=float(cooldown))
        self._seen = None

    def state(self):
        return self.store.read(self.name)

    def is_open(self):
        """True while the cool-down runs (no trial is due yet)."""
        return self.state().status(self.clock()) == OPEN

    def allow(self):
        """May a gated caller call now? Claims the one trial call when the cool-down is over."""
        seen = self._seen = self.store.read(self.name)
        now = self.clock()
        status = seen.status(now)
        if status == CLOSED:
            return True
        if status == OPEN:
            return False
        claimed = self.store.claim_trial(self.name, seen.token, now + self.cooldown)
        if claimed:
            log.info("breaker %s half-open: one trial call", self.name)
        return claimed

    def record_success(self):
        """The server answered: close the breaker (a write only when it was not already closed)."""
        seen, self._seen = self._seen, None
        if seen is not None and not seen.failures and seen.opened_until is None:
            return
        self.store.reset(self.name)

    def record_failure(self, error):
        """The server is down or hung: one more failure; at ``threshold`` in a row, open for the cool-down."""
        self._seen = None
        now = self.clock()
        failures = self.store.add_failure(self.name, now, str(error)[:500], self.threshold, now + self.cooldown)
        if failures == self.threshold:
            log.warning("breaker %s opened after %s failures: %s", self.name, failures, error)
        return failures
