"""The continuous (fractional-unit) optimum, by block-coordinate descent over items.

Minimising ``sum_h (prior_h + income_h)^2 / weight_h`` is the same as lifting the lowest level
first (Fujishige 1980). With every item but one held fixed, the best way to hand out that one item
is a *water-fill*: there is a common level ``lam`` such that every household below it is lifted to
``lam`` or to its capacity, whichever comes first, and nobody above it gets any. The optimum of the
whole problem is the point where each item is such a water-fill on top of the others; solving the
items one after another in sweeps (block-coordinate descent) converges to it because the objective
is convex and differentiable and the constraints of different items do not mix.

Everything here works on the *free* (unpinned) pairs in item-major order: the pairs of item ``j``
are ``starts[j]:starts[j + 1]``.
"""

from __future__ import annotations

import numpy as np

#: Sweeps stop when no household's level moved by more than this fraction of the dearest price.
#: (Rounding to whole units then moves levels by up to a unit; the exchange step in
#: :mod:`~courtyard.allocation.exchange` cleans up what a looser continuous solution leaves.)
LEVEL_TOLERANCE = 1e-2
#: Sweeps also stop when one lowered ``sum weight * level^2`` by less than this fraction: by then
#: the levels are far closer to the optimum than a unit, and what is left of the slow tail (items
#: sharing one common level, whose split between households converges slowly) is not worth
#: the sweeps; whole units and the exchanges decide the rest.
OBJECTIVE_TOLERANCE = 1e-7
#: Safety cap on sweeps; the result is always feasible, only less polished, if it is reached.
MAX_SWEEPS = 400
#: A water-fill is solved when the units handed out match the target to this relative precision.
_FILL_PRECISION = 1e-11
_MAX_FILL_STEPS = 200


def water_fill(base, step, cap, total, guess=None, inverse=None, capacity=None):
    """Hand out ``total`` units of one item so the lowest levels rise first.

    Household ``k`` stands at level ``base[k]``; one unit lifts it by ``step[k]``
    (price / weight); it can take at most ``cap[k]`` units. Returns ``(units, level)`` with
    ``units[k] = clip((level - base[k]) / step[k], 0, cap[k])`` and ``units.sum() == total`` to a
    relative precision of 1e-11. That is the exact single-item optimum: whoever ends below
    ``level`` got its whole capacity, whoever received something short of its capacity ends at
    ``level``, and whoever got nothing was at or above ``level`` already.

    ``level`` is ``-inf`` when ``total <= 0`` and ``+inf`` when ``total`` reaches the whole
    capacity. ``guess`` (for example the previous sweep's level), ``inverse`` (``1 / step``) and
    ``capacity`` (``cap.sum()``) only save work.
    """
    capacity = float(cap.sum()) if capacity is None else capacity
    if total <= 0 or len(base) == 0:
        return np.zeros_like(base), -np.inf
    if total >= capacity:
        return cap.astype(np.float64, copy=True), np.inf
    if inverse is None:
        inverse = 1.0 / step
    # The answer lies in [low, high]; F(low) = f_low <= total <= f_high = F(high).
    low, high, f_low, f_high = -np.inf, np.inf, 0.0, capacity
    if guess is None or not np.isfinite(guess):
        low, high = _outer_bracket(base, step, cap)
        guess = 0.5 * (low + high)
    level = guess
    tolerance = _FILL_PRECISION * max(total, 1.0)
    last_side, same_side = 0, 0
    raw, units = np.empty_like(base), np.empty_like(base)
    for _ in range(_MAX_FILL_STEPS):
        np.subtract(level, base, out=raw)
        raw *= inverse
        np.minimum(np.maximum(raw, 0.0, out=units), cap, out=units)  # np.clip, without its overhead
        handed = float(units.sum())
        if abs(handed - total) <= tolerance:
            break
        side = -1 if handed < total else 1
        same_side = same_side + 1 if side == last_side else 0
        last_side = side
        if handed < total:
            low, f_low = level, handed
        else:
            high, f_high = level, handed
        # Newton on the piecewise-linear total: exact once inside the right linear piece.
        slope = float(inverse[(raw > 0.0) & (raw < cap)].sum())
        proposal = level + (total - handed) / slope if slope > 0.0 else np.nan
        if not low < proposal < high:
            if not (np.isfinite(low) and np.isfinite(high)):
                outer_low, outer_high = _outer_bracket(base, step, cap)
                if not np.isfinite(low):
                    low, f_low = outer_low, 0.0
                if not np.isfinite(high):
                    high, f_high = outer_high, capacity
            if not high > low:
                break
            # Interpolate between the bracket's ends, or halve it if that stalls.
            proposal = low + (high - low) * (total - f_low) / (f_high - f_low)
            if not low < proposal < high or proposal == level or same_side >= 2:
                proposal = 0.5 * (low + high)  # regula falsi stalls when one end never moves: halve
        level = proposal
    else:  # out of steps: return the units of the level returned, never those of an earlier one
        units = np.clip((level - base) * inverse, 0.0, cap)
    return units, level


def _outer_bracket(base, step, cap):
    """Levels at which nobody has received anything, and everybody everything."""
    return float(base.min()), float((base + cap * step).max())


def descend(household, step, cap, starts, level, total, dearest_price, weight=None):
    """Run block-coordinate descent from ``level`` (the levels before any free unit).

    ``household``/``step``/``cap`` describe the free pairs in item-major order, ``starts`` the
    item boundaries, ``total[j]`` the free units of item ``j`` to hand out (at most its free
    capacity). Returns ``(units, level, common_level, sweeps)``: fractional units per pair (every
    item's units sum to its total), the resulting household levels, and each item's common level
    (``nan`` where the item was handed out completely or not at all).

    Each sweep re-fills every item exactly on top of the others, so the objective never increases;
    it stops once a sweep moves no level by more than ``LEVEL_TOLERANCE`` x the dearest price, or,
    given ``weight`` (per household), once a sweep lowers ``sum weight * level^2`` by less than
    ``OBJECTIVE_TOLERANCE`` of it.
    """
    level = level.astype(np.float64, copy=True)
    units = np.zeros(len(household), dtype=np.float64)
    capacity = [float(cap[starts[j]:starts[j + 1]].sum()) for j in range(len(total))]
    common = np.full(len(total), np.nan)
    inverse = 1.0 / step
    tolerance = LEVEL_TOLERANCE * dearest_price
    blocks = [
        (j, slice(starts[j], starts[j + 1]))
        for j in range(len(total))
        if starts[j + 1] > starts[j] and total[j] > 0
    ]
    sweeps = 0
    cost = np.inf  # the first sweep starts from no free units at all: nothing to compare
    while sweeps < MAX_SWEEPS:
        sweeps += 1
        largest_move = 0.0
        for j, block in blocks:
            members = household[block]
            item_step = step[block]
            before = level.take(members)
            base = before - units[block] * item_step
            filled, common[j] = water_fill(
                base, item_step, cap[block], float(total[j]), common[j], inverse[block],
                capacity[j],
            )
            after = filled * item_step
            after += base
            level[members] = after
            units[block] = filled
            after -= before
            largest_move = max(largest_move, float(np.abs(after, out=after).max()))
        if largest_move <= tolerance:
            break
        if weight is not None:
            cost, before = _cost(level, weight), cost
            if before - cost <= OBJECTIVE_TOLERANCE * cost:
                break
    common[~np.isfinite(common)] = np.nan
    return units, level, common, sweeps


def _cost(level, weight):
    """``sum weight * level^2``, the objective ``sum (prior + income)^2 / weight``."""
    return float((weight * level * level).sum())  # not np.dot: a threaded BLAS costs more here
