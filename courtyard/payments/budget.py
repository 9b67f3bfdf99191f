"""A time budget for the payment server calls of one web request.

A person waiting on a page must get an answer well before gunicorn's worker timeout, however the
payment server behaves. A :class:`TimeBudget` holds a deadline set when it is made; every call takes
its connect and read timeouts from it (never more than what is left), and once it is spent the next
call is not made at all. ``requests``' read timeout bounds each wait for a byte, so a server that
accepts and never answers costs at most the read timeout, and the whole request at most the budget
plus one read timeout's rounding.
"""

import time

from courtyard.payments.errors import PaymentServiceUnavailable

LEAST_USEFUL = 0.05  # seconds: less than this left is no time for a call


class BudgetSpent(PaymentServiceUnavailable):
    """The request's time for the payment server is spent; the call was not made."""


class TimeBudget:
    """``total`` seconds from now for every call, each with at most ``connect``/``read`` timeouts."""

    def __init__(self, total, connect, read, *, clock=time.monotonic):
        self.clock = clock
        self.deadline = clock() + float(total)
        self.connect, self.read = float(connect), float(read)

    def remaining(self):
        return max(0.0, self.deadline - self.clock())

    def timeouts(self):
        """``(connect, read)`` for the next call; raises :class:`BudgetSpent` when no time is left."""
        left = self.remaining()
        if left < LEAST_USEFUL:
            raise BudgetSpent("The time for the payment server in this request is spent.", code="budget_spent")
        return (min(self.connect, left), min(self.read, left))
