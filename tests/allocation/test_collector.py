"""Pausing the cyclic garbage collector around the engine's large plain results."""

import gc

from courtyard.allocation import allocate
from courtyard.allocation.collector import paused


def test_paused_turns_the_collector_off_and_back_on():
    """Is the collector off inside the block and on again after it, even after an error?"""
    assert gc.isenabled()
    try:
        with paused():
            assert not gc.isenabled()
            raise KeyError("boom")
    except KeyError:
        pass
    assert gc.isenabled()


def test_paused_leaves_a_switched_off_collector_off():
    """Whoever switched the collector off keeps it off."""
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_allocate_restores_the_collector():
    """allocate() (which pauses the collector) leaves it on for the caller."""
    allocate({"items": [{"id": "egg", "price_fen": 100, "demand": 1}],
              "households": [{"id": "h", "weight": 1, "prior_income_fen": 0,
                              "capacity": {"egg": 2}}]})
    assert gc.isenabled()
