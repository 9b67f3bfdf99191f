"""Read the ``households`` list into arrays.

Two readers give the same arrays for valid input. :func:`read_households` first tries a bulk
reader (list comprehensions and numpy checks, fast enough for 100,000 households); whenever a bulk
check fails it re-reads row by row with :func:`_read_rows`, which stops at the first bad field and
names it, e.g. ``households[17] (id 'h17').capacity: unknown item 'goat'``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np

from .checks import (
    MAX_FEN,
    MAX_UNITS,
    MAX_WEIGHT,
    MIN_WEIGHT,
    check_count,
    check_id,
    check_weight,
    fail,
    field,
)


@dataclass(frozen=True)
class Households:
    """Households as arrays; ``entry_*`` list the pairs with capacity > 0 in (household, item)
    order."""

    ids: list
    index: dict | None  # household id -> position (None: not built, see :func:`index_of`)
    weight: np.ndarray  # float64
    prior: np.ndarray  # int64
    entry_household: np.ndarray  # int64
    entry_item: np.ndarray  # int64
    entry_capacity: np.ndarray  # int64


def read_households(raw, item_index) -> Households:
    """Check and read ``raw`` (the instance's ``households``); ``item_index`` maps item ids to
    positions. Raises :class:`~courtyard.allocation.checks.AllocationInputError` on bad input."""
    if type(raw) is not list:
        fail("households", "must be a list")
    households = _read_bulk(raw, item_index)
    if households is None:
        households = _read_rows(raw, item_index)
    return households


def _read_bulk(raw, item_index):
    """The fast path: returns ``None`` (never raises) if anything looks wrong."""
    try:
        ids = [h["id"] for h in raw]
        weights = [h["weight"] for h in raw]
        priors = [h["prior_income_fen"] for h in raw]
        capacities = [h["capacity"] for h in raw]
        if (
            set(map(type, raw)) - {dict}
            or set(map(type, ids)) - {str}
            or set(map(type, weights)) - {int, float}
            or set(map(type, priors)) - {int}
            or set(map(type, capacities)) - {dict}
        ):
            return None
        unique = set(ids)  # the id -> position map is built only if pins need it
        if len(unique) != len(ids) or "" in unique:
            return None
        counts = list(chain.from_iterable(map(dict.values, capacities)))
        if set(map(type, counts)) - {int}:
            return None
        # KeyError (an unknown item) sends the instance to the precise path.
        item = np.fromiter(
            map(item_index.__getitem__, chain.from_iterable(capacities)), np.int64, len(counts)
        )
        weight = np.array(weights, dtype=np.float64)
        prior = np.array(priors, dtype=np.int64)
        units = np.array(counts, dtype=np.int64)
    except (KeyError, TypeError, OverflowError, ValueError):
        return None
    if (
        not np.all((weight >= MIN_WEIGHT) & (weight <= MAX_WEIGHT))
        or not np.all((prior >= 0) & (prior <= MAX_FEN))
        or not np.all((units >= 0) & (units <= MAX_UNITS))
    ):
        return None
    sizes = np.fromiter(map(len, capacities), np.int64, len(capacities))
    household = np.repeat(np.arange(len(ids), dtype=np.int64), sizes)
    keep = units > 0
    if not keep.all():
        household, item, units = household[keep], item[keep], units[keep]
    household, item, units = _in_pair_order(household, item, units, len(item_index))
    return Households(ids, None, weight, prior, household, item, units)


def index_of(households) -> dict:
    """Household id -> position."""
    if households.index is not None:
        return households.index
    return dict(zip(households.ids, range(len(households.ids))))


def _in_pair_order(household, item, units, m):
    """Sort pairs by (household, item) unless they already are (the usual case)."""
    key = household * max(m, 1) + item
    if len(key) > 1 and not np.all(key[1:] > key[:-1]):
        order = np.argsort(key, kind="stable")
        household, item, units = household[order], item[order], units[order]
    return household, item, units


def _where(position, household_id):
    return f"households[{position}] (id {household_id!r})"


def _read_rows(raw, item_index):
    """The precise path: checks row by row and names the first problem."""
    ids, weights, priors, index = [], [], [], {}
    entry_h, entry_i, entry_u = [], [], []
    for position, household in enumerate(raw):
        where = f"households[{position}]"
        household_id = check_id(field(household, "id", where), f"{where}.id")
        if household_id in index:
            fail(
                f"{where}.id",
                f"duplicate household id {household_id!r} (also households[{index[household_id]}])",
            )
        where = _where(position, household_id)
        index[household_id] = position
        ids.append(household_id)
        weights.append(check_weight(field(household, "weight", where), f"{where}.weight"))
        prior = field(household, "prior_income_fen", where)
        priors.append(check_count(prior, f"{where}.prior_income_fen", MAX_FEN))
        capacity = field(household, "capacity", where)
        if type(capacity) is not dict:
            fail(f"{where}.capacity", "must be an object mapping item ids to units")
        for item_id, units in capacity.items():
            column = item_index.get(item_id)
            if column is None:
                fail(f"{where}.capacity", f"unknown item {item_id!r}")
            if check_count(units, f"{where}.capacity[{item_id!r}]"):
                entry_h.append(position)
                entry_i.append(column)
                entry_u.append(units)
    household, item, units = _in_pair_order(
        np.array(entry_h, dtype=np.int64),
        np.array(entry_i, dtype=np.int64),
        np.array(entry_u, dtype=np.int64),
        len(item_index),
    )
    return Households(
        ids,
        index,
        np.array(weights, dtype=np.float64),
        np.array(priors, dtype=np.int64),
        household,
        item,
        units,
    )
