"""A host's slots for calls waiting on the payment server: shared by its workers, and answering at once when every
slot is held by a call that has waited too long (the server hangs)."""

import pytest

from courtyard.payments.client import StripeClient
from courtyard.payments.errors import PaymentServicePaused
from courtyard.payments.slots import HostSlots
from tests.support.hung_servers import SilentServer


class Clock:
    """Wall-clock seconds the test moves by hand."""

    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


def test_a_worker_finding_every_slot_held_by_overdue_calls_answers_without_calling(tmp_path):
    """When two other workers of the host have both been waiting on the server for longer than the overdue time, is a
    third refused (the call not made), and does it get a slot as soon as one is let go?"""
    clock = Clock()
    worker_a = HostSlots(tmp_path, 2, overdue=1.0, clock=clock)
    worker_b = HostSlots(tmp_path, 2, overdue=1.0, clock=clock)
    silent = SilentServer()
    try:
        client = StripeClient("sk_test_x", silent.url, timeout=(0.2, 0.2), max_network_retries=0, slots=worker_b)
        with worker_a.held():
            with worker_a.held():
                clock.now += 2.0
                with pytest.raises(PaymentServicePaused):
                    client.retrieve_payment_intent("pi_1")
                assert silent.accepted == 0
            with worker_b.held():
                pass
    finally:
        silent.close()


def test_a_worker_waits_for_a_slot_only_while_the_holders_are_not_overdue(tmp_path):
    """With both slots held by calls that began just now, does a caller wait at most its longest wait and then give
    up, rather than calling the server beyond the host's limit?"""
    clock = Clock()
    slots = HostSlots(tmp_path, 1, overdue=5.0, longest_wait=0.2, clock=clock)
    with slots.held():
        with pytest.raises(PaymentServicePaused):
            with HostSlots(tmp_path, 1, overdue=5.0, longest_wait=0.2, clock=clock).held():
                pass
