"""A web request's time budget for the payment server: a server that accepts and never answers is given up on,
never retried, and once the budget is spent no further call is made."""

import pytest

from courtyard.payments.budget import BudgetSpent, TimeBudget
from courtyard.payments.client import StripeClient
from courtyard.payments.errors import PaymentServiceUnavailable
from tests.support.hung_servers import SilentServer


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


def test_a_server_that_never_answers_is_given_up_and_not_retried(silent):
    """Does a call to a server that accepts the connection and then says nothing end as 'unavailable' after one
    try, not hang the worker nor try again, even with retries configured for jobs?"""
    client = StripeClient("sk_test_x", silent.url, budget=TimeBudget(1.0, 0.2, 0.2), max_network_retries=0)

    with pytest.raises(PaymentServiceUnavailable):
        client.create_payment_intent(5000, idempotency_key="courtyard:pledge:1:create:1")

    assert silent.accepted == 1


def test_once_the_budget_is_spent_no_further_call_is_made(silent):
    """After a hung call has used up the request's time, is the next call refused without contacting the server?"""
    clock = FakeClock()
    budget = TimeBudget(4.0, 1.0, 0.2, clock=clock)
    client = StripeClient("sk_test_x", silent.url, budget=budget, max_network_retries=0)
    with pytest.raises(PaymentServiceUnavailable):
        client.retrieve_payment_intent("pi_1")
    clock.now += 4.0

    with pytest.raises(BudgetSpent):
        client.retrieve_payment_intent("pi_1")

    assert silent.accepted == 1


def test_each_call_waits_at_most_what_is_left_of_the_budget():
    """Are a call's connect and read timeouts the configured ones while time is left, and cut to what is left
    near the end of the budget?"""
    clock = FakeClock()
    budget = TimeBudget(4.0, 1.0, 3.0, clock=clock)
    assert budget.timeouts() == (1.0, 3.0)
    clock.now += 2.5
    assert budget.timeouts() == (1.0, 1.5)
    clock.now += 1.0
    assert budget.timeouts() == (0.5, 0.5)
