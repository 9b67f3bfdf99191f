"""From fractional units to whole units, keeping the poorest-first order.

:func:`round_to_units` works on the free pairs in item-major order (item ``j`` owns
``starts[j]:starts[j+1]``): it floors every pair's fractional units, then hands each item's
remaining units out one per household to the lowest levels (ties: the earlier household). No pair
ends more than one unit away from the continuous optimum, every item's units add up to its total
exactly, and no pair exceeds its capacity. :mod:`~courtyard.allocation.exchange` then polishes.

Levels are computed from integer money (fen), so the choices do not depend on float drift and the
same input gives the same units.
"""

from __future__ import annotations

import numpy as np


def _lowest(keys, count):
    """Positions of the ``count`` smallest ``keys``; ties go to the earlier position."""
    if count >= len(keys):
        return np.arange(len(keys))
    cutoff = np.partition(keys, count - 1)[count - 1]
    below = np.flatnonzero(keys < cutoff)
    tied = np.flatnonzero(keys == cutoff)
    return np.concatenate([below, tied[: count - len(below)]])


def round_to_units(fractional, cap, household, starts, price, weight, money, total):
    """Whole units per free pair from ``fractional`` units (see the module docstring).

    ``cap`` (int) is each pair's capacity, ``money`` (int, per household) the fen each household
    stands on before any free unit (prior income + pinned units); it is updated in place to
    include the returned units. ``total[j]`` (int) is the number of free units of item ``j``.
    """
    units = np.minimum(np.floor(fractional + 1e-9).astype(np.int64), cap)
    np.maximum(units, 0, out=units)
    item_price = np.repeat(price, np.diff(starts))
    money += np.bincount(
        household, weights=units * item_price, minlength=len(money)
    ).astype(np.int64)
    for j in range(len(total)):
        block = slice(starts[j], starts[j + 1])
        members, item_units, item_cap = household[block], units[block], cap[block]
        missing = int(total[j] - item_units.sum())
        # One round normally settles it; more rounds only if the fractional units were far off.
        while missing:
            if missing > 0:  # hand out the rest, one unit each, to the lowest levels
                candidates = np.flatnonzero(item_units < item_cap)
                keys = money[members[candidates]] / weight[members[candidates]]
                change = 1
            else:  # only from float noise: take back, one unit each, from the highest levels
                candidates = np.flatnonzero(item_units > 0)
                keys = -(money[members[candidates]] / weight[members[candidates]])
                change = -1
            if len(candidates) == 0:  # cannot happen: totals never exceed the free capacity
                raise RuntimeError(f"item {j}: {missing} units cannot be placed")
            chosen = candidates[_lowest(keys, abs(missing))]
            item_units[chosen] += change
            money[members[chosen]] += change * int(price[j])
            missing -= change * len(chosen)
    return units
