"""Turn a :class:`~courtyard.allocation.engine.Solution` into plain dictionaries.

:func:`result_of` gives exactly the contract's result (what the command prints);
:func:`explanation_of` adds what a work team's page needs to show why each household got what it
got. Rows follow the input order: households as given, and within a household, items as given.
"""

from __future__ import annotations

import math

import numpy as np

from .engine import Solution
from .validate import Problem

#: The household supplies all it declared for the item.
CAPACITY_REACHED = "capacity_reached"
#: The household stopped below its capacity because its level reached the item's common level:
#: one more unit would have lifted it above households still waiting for this item.
LEVEL_REACHED = "level_reached"
#: The units were fixed by hand (``pinned``) and the engine kept them.
PINNED = "pinned"


def result_of(problem: Problem, solution: Solution) -> dict:
    """The contract's result: ``allocation`` rows, ``shortfall`` per item, ``income_fen``."""
    household_ids, item_ids = problem.household_ids, problem.item_ids
    given = np.flatnonzero(solution.units)
    allocation = [
        {"household": household_ids[h], "item": item_ids[i], "units": u}
        for h, i, u in zip(
            problem.entry_household[given].tolist(),
            problem.entry_item[given].tolist(),
            solution.units[given].tolist(),
        )
    ]
    shortfall = dict(zip(item_ids, (problem.demand - solution.allocated).tolist()))
    earning = np.flatnonzero(solution.income)
    income = {household_ids[h]: fen for h, fen in zip(earning.tolist(), solution.income[earning].tolist())}
    return {"allocation": allocation, "shortfall": shortfall, "income_fen": income}


def explanation_of(problem: Problem, solution: Solution) -> dict:
    """The result plus, per household and item, the level and the reason for the units.

    ``households``: one entry per household in input order with ``household``, ``weight``,
    ``prior_income_fen``, ``income_fen``, ``level`` (``(prior + income) / weight``) and
    ``items``: one row per item it can supply or that was pinned, with ``capacity``, ``units``,
    ``reason`` (:data:`CAPACITY_REACHED`, :data:`LEVEL_REACHED` or :data:`PINNED`) and the item's
    ``common_level``.
    ``items``: per item ``price_fen``, ``demand``, ``allocated``, ``shortfall`` and
    ``common_level``, the level at which its free units ran out (``None`` when every free unit of
    capacity was used, or none was needed).
    """
    common = [None if math.isnan(v) else v for v in solution.common_level.tolist()]
    items = [
        {
            "item": item_id,
            "price_fen": price,
            "demand": demand,
            "allocated": allocated,
            "shortfall": demand - allocated,
            "common_level": level,
        }
        for item_id, price, demand, allocated, level in zip(
            problem.item_ids,
            problem.price.tolist(),
            problem.demand.tolist(),
            solution.allocated.tolist(),
            common,
        )
    ]
    # One row per entry, built column-wise; entries are in (household, item) order, so each
    # household's rows are one slice.
    reasons = np.array([CAPACITY_REACHED, LEVEL_REACHED, PINNED], dtype=object)[
        np.where(
            problem.entry_pinned >= 0,
            2,
            np.where(solution.units == problem.entry_capacity, 0, 1),
        )
    ]
    rows = [
        {
            "item": item,
            "capacity": capacity,
            "units": units,
            "reason": reason,
            "common_level": level,
        }
        for item, capacity, units, reason, level in zip(
            _gather(problem.item_ids, problem.entry_item),
            problem.entry_capacity.tolist(),
            solution.units.tolist(),
            reasons.tolist(),
            _gather(common, problem.entry_item),
        )
    ]
    bounds = np.searchsorted(problem.entry_household, np.arange(len(problem.household_ids) + 1))
    households = [
        {
            "household": household_id,
            "weight": weight,
            "prior_income_fen": prior,
            "income_fen": income,
            "level": level,
            "items": rows[first:last],
        }
        for household_id, weight, prior, income, level, first, last in zip(
            problem.household_ids,
            problem.weight.tolist(),
            problem.prior.tolist(),
            solution.income.tolist(),
            solution.level.tolist(),
            bounds[:-1].tolist(),
            bounds[1:].tolist(),
        )
    ]
    return {
        **result_of(problem, solution),
        "households": households,
        "items": items,
        "sweeps": solution.sweeps,
        "exchanges": solution.exchanges,
    }


def _gather(values, positions):
    """``[values[p] for p in positions]`` as one numpy gather over object references."""
    table = np.empty(len(values), dtype=object)
    table[:] = values
    return table[positions].tolist()
