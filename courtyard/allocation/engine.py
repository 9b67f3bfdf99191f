"""Solve a validated :class:`~courtyard.allocation.validate.Problem` into whole units.

The steps, each in its own module:

1. pinned pairs are fixed first: their units count toward their item's demand and their
   household's money, and they take no further part;
2. :func:`~courtyard.allocation.waterfill.descend` finds the continuous optimum of the free
   pairs (block-coordinate descent over items, exact water-fill per item);
3. :func:`~courtyard.allocation.rounding.round_to_units` makes the units whole and
   :func:`~courtyard.allocation.exchange.improve` polishes them by exchanges and swaps that each
   lower the objective.

Every item hands out ``pinned + min(demand - pinned, free capacity)`` units, which is
``min(demand, total capacity)`` when nothing is pinned (a pinned pair's capacity counts as its
pinned units). The result depends only on the input: no clock, no randomness, and ties always go
to the earlier household in the input.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .exchange import improve, move_groups
from .rounding import round_to_units
from .validate import Problem
from .waterfill import descend


@dataclass(frozen=True)
class Solution:
    """Whole units for a :class:`Problem` (arrays aligned with the problem's arrays)."""

    units: np.ndarray  # int64 per entry (the problem's household-major entry order)
    income: np.ndarray  # int64 per household: new income in fen
    level: np.ndarray  # float64 per household: (prior + income) / weight
    allocated: np.ndarray  # int64 per item: units handed out (pinned included)
    common_level: np.ndarray  # float64 per item: level where its free units ran out (nan: none)
    sweeps: int  # descent sweeps used
    exchanges: int  # moves made by the polishing step


def solve(problem: Problem) -> Solution:
    """Allocate whole units of every item (see the module docstring for the guarantees)."""
    m, n = len(problem.price), len(problem.weight)
    price = problem.price
    pinned = problem.entry_pinned >= 0
    units = np.where(pinned, problem.entry_pinned, 0)
    entry_price = price[problem.entry_item]

    # 1. pinned units are money the household already stands on.
    money = problem.prior.copy()
    money += _sum_by(problem.entry_household, units * entry_price, n)
    pinned_per_item = _sum_by(problem.entry_item, units, m)

    # Free pairs in item-major order (stable, so households stay in input order within an item).
    free = np.flatnonzero(~pinned)
    free = free[_stable_order(problem.entry_item[free], m)]
    household = problem.entry_household[free]
    cap = problem.entry_capacity[free]
    item = problem.entry_item[free]
    starts = np.searchsorted(item, np.arange(m + 1))
    free_capacity = _sum_by(item, cap, m)
    total = np.minimum(problem.demand - pinned_per_item, free_capacity)

    # 2. the continuous optimum.
    weight = problem.weight
    step = price[item] / weight[household]
    dearest = float(price.max()) if m else 1.0
    fractional, _, common, sweeps = descend(
        household, step, cap.astype(np.float64), starts, money / weight, total, dearest, weight
    )

    # 3. whole units.
    whole = round_to_units(fractional, cap, household, starts, price, weight, money, total)
    groups = move_groups(household, item, starts, price, money / weight, common, weight)
    exchanges = improve(whole, cap, money, weight, *groups)

    units[free] = whole
    income = money - problem.prior
    return Solution(
        units=units,
        income=income,
        level=(problem.prior + income) / weight,
        allocated=pinned_per_item + total,
        common_level=common,
        sweeps=sweeps,
        exchanges=exchanges,
    )


def _sum_by(index, values, length):
    """Exact integer sums of ``values`` grouped by ``index`` (values stay below 2**53)."""
    if len(index) == 0:
        return np.zeros(length, dtype=np.int64)
    return np.bincount(index, weights=values, minlength=length).astype(np.int64)


def _stable_order(index, length):
    """``np.argsort(index, kind="stable")`` for ``index`` in ``range(length)``; small integer types
    make numpy use a radix sort."""
    if length <= 1 << 8:
        index = index.astype(np.uint8)
    elif length <= 1 << 16:
        index = index.astype(np.uint16)
    return np.argsort(index, kind="stable")
