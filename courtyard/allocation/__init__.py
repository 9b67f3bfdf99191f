"""Weighted lexicographic max-min fair allocation ("serve the poorest first"), as pure functions.

Plain data in, plain data out: no database, no clock, no randomness; the same instance gives the
same result, byte for byte. The contract is ``docs/allocation-contract.md`` (JSON format, guarantees,
limits); in short, each household's level is ``(prior_income_fen + income_fen) / weight`` and the
engine raises the lowest level as far as supply allows, then the next, and so on, in whole units.

Instance (extra keys are ignored)::

    {"items": [{"id": "free_range_chicken", "price_fen": 8800, "demand": 120}],
     "households": [{"id": "h17", "weight": 1.0, "prior_income_fen": 0,
                     "capacity": {"free_range_chicken": 5}}],
     "pinned": [{"household": "h17", "item": "free_range_chicken", "units": 2}]}

``pinned`` is optional: manual adjustments the engine must keep. A pin fixes that pair's units
exactly (0 excludes the household from the item); the units must not exceed the household's
capacity for the item, and the pins of one item must not exceed its demand. Pinned units count
toward the item's demand and the household's income, and a pinned pair's capacity counts as its
pinned units, so each item hands out ``pinned + min(demand - pinned, unpinned capacity)``.

Functions:

* :func:`allocate` -- the contract's result: ``{"allocation": [{"household", "item", "units"}],
  "shortfall": {item: units}, "income_fen": {household: fen}}``;
* :func:`allocate_explained` -- the same plus per household its ``level`` and per item a
  ``reason`` (``"capacity_reached"``, ``"level_reached"`` or ``"pinned"``), for the work
  team's pages (see :func:`courtyard.allocation.explain.explanation_of`);
* :func:`validate` -- check an instance; raises :class:`AllocationInputError` with a one-line
  message naming what is wrong (both functions above call it first).

``python -m courtyard.allocation INSTANCE.json`` prints :func:`allocate`'s result as JSON.
"""

from .collector import paused
from .engine import Solution, solve
from .explain import CAPACITY_REACHED, LEVEL_REACHED, PINNED, explanation_of, result_of
from .validate import AllocationInputError, Problem, validate

__all__ = [
    "CAPACITY_REACHED",
    "LEVEL_REACHED",
    "PINNED",
    "AllocationInputError",
    "Problem",
    "Solution",
    "allocate",
    "allocate_explained",
    "solve",
    "validate",
]


def allocate(instance) -> dict:
    """Allocate whole units fairly; return the contract's result (see the module docstring).

    Raises :class:`AllocationInputError` if the instance is not valid.
    """
    with paused():
        problem = validate(instance)
        return result_of(problem, solve(problem))


def allocate_explained(instance) -> dict:
    """Like :func:`allocate`, plus levels and a reason per (household, item) for the web pages."""
    with paused():
        problem = validate(instance)
        return explanation_of(problem, solve(problem))
