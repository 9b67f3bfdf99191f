"""Check an allocation instance and turn it into a :class:`Problem` of flat arrays.

Everything the engine relies on is checked here, once, so the numerical modules can assume clean
input:

* ids are non-empty strings, unique among items and among households;
* ``price_fen`` is a positive whole number; ``demand``, ``prior_income_fen``, capacities and pinned
  units are non-negative whole numbers (``true`` and ``5.0`` are refused: money and units are
  whole);
* ``weight`` is a number between 1e-6 and 1e6 (so finite and greater than 0);
* every capacity names a known item; every pin a known household and item;
* a pin is at most the household's capacity for the item, a (household, item) is pinned once, and
  the pins of one item do not exceed its demand;
* the items to hand out are worth at most 2**53 fen, so every sum of money is exact.

A problem is reported by raising :class:`AllocationInputError` with a one-line message naming the
place, e.g. ``households[17] (id 'h17').capacity: unknown item 'goat'``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import MAX_FEN, MAX_TOTAL_FEN, AllocationInputError, check_count, check_id, fail, field
from .households import index_of, read_households

__all__ = ["AllocationInputError", "Problem", "validate"]


@dataclass(frozen=True)
class Problem:
    """A validated instance as flat arrays (plain data, no behaviour).

    ``entry_*`` arrays list every (household, item) pair that can receive units (capacity > 0),
    ordered by household, then item, both in input order. ``entry_pinned`` holds the pinned units
    of a pair, or -1 when the engine may choose them.
    """

    item_ids: tuple
    price: np.ndarray  # int64 per item: fen per unit
    demand: np.ndarray  # int64 per item: units
    household_ids: tuple
    weight: np.ndarray  # float64 per household
    prior: np.ndarray  # int64 per household: fen
    entry_household: np.ndarray  # int64
    entry_item: np.ndarray  # int64
    entry_capacity: np.ndarray  # int64
    entry_pinned: np.ndarray  # int64, -1 = free


def validate(instance) -> Problem:
    """Check ``instance`` against the contract and return it as a :class:`Problem`.

    Raises :class:`AllocationInputError` naming the first problem found.
    """
    if type(instance) is not dict:
        fail("instance", "must be a JSON object with 'items' and 'households'")
    item_ids, price, demand, item_index = _read_items(field(instance, "items", "instance"))
    households = read_households(field(instance, "households", "instance"), item_index)
    pinned = np.full(len(households.entry_household), -1, dtype=np.int64)
    if "pinned" in instance:
        _read_pins(instance["pinned"], households, item_ids, item_index, demand, pinned)
    _check_total_value(price, demand, households.entry_item, households.entry_capacity)
    return Problem(
        item_ids=tuple(item_ids),
        price=price,
        demand=demand,
        household_ids=tuple(households.ids),
        weight=households.weight,
        prior=households.prior,
        entry_household=households.entry_household,
        entry_item=households.entry_item,
        entry_capacity=households.entry_capacity,
        entry_pinned=pinned,
    )


def _read_items(raw):
    if type(raw) is not list:
        fail("items", "must be a list")
    ids, prices, demands, index = [], [], [], {}
    for position, item in enumerate(raw):
        where = f"items[{position}]"
        item_id = check_id(field(item, "id", where), f"{where}.id")
        if item_id in index:
            fail(f"{where}.id", f"duplicate item id {item_id!r} (also items[{index[item_id]}])")
        where = f"items[{position}] (id {item_id!r})"
        price = check_count(field(item, "price_fen", where), f"{where}.price_fen", MAX_FEN)
        if price == 0:
            fail(f"{where}.price_fen", "must be greater than 0")
        demands.append(check_count(field(item, "demand", where), f"{where}.demand"))
        index[item_id] = position
        ids.append(item_id)
        prices.append(price)
    return ids, np.array(prices, dtype=np.int64), np.array(demands, dtype=np.int64), index


def _read_pins(raw, households, item_ids, item_index, demand, pinned):
    """Check the optional ``pinned`` list and write its units into ``pinned`` (per entry)."""
    if type(raw) is not list:
        fail("pinned", "must be a list of {household, item, units}")
    m = max(len(item_ids), 1)
    keys = (households.entry_household * m + households.entry_item).tolist()
    entry_of = dict(zip(keys, range(len(keys))))
    capacity = households.entry_capacity.tolist()
    seen, per_item = set(), [0] * len(item_ids)
    household_index = index_of(households)
    for position, pin in enumerate(raw):
        where = f"pinned[{position}]"
        household_id = check_id(field(pin, "household", where), f"{where}.household")
        item_id = check_id(field(pin, "item", where), f"{where}.item")
        units = check_count(field(pin, "units", where), f"{where}.units")
        row = household_index.get(household_id)
        if row is None:
            fail(f"{where}.household", f"unknown household {household_id!r}")
        column = item_index.get(item_id)
        if column is None:
            fail(f"{where}.item", f"unknown item {item_id!r}")
        if (row, column) in seen:
            fail(where, f"household {household_id!r} and item {item_id!r} are pinned twice")
        seen.add((row, column))
        entry = entry_of.get(row * m + column)
        limit = 0 if entry is None else capacity[entry]
        if units > limit:
            fail(
                f"{where}.units",
                f"{units} units exceed the capacity {limit} of household {household_id!r} "
                f"for item {item_id!r}",
            )
        per_item[column] += units
        if entry is not None:  # pinning 0 units where there is no capacity changes nothing
            pinned[entry] = units
    for column, total in enumerate(per_item):
        if total > demand[column]:
            fail(
                "pinned",
                f"the units pinned for item {item_ids[column]!r} ({total}) exceed its demand "
                f"({int(demand[column])})",
            )


def _check_total_value(price, demand, entry_item, entry_capacity):
    """Refuse instances whose handed-out value could leave exact float/int64 arithmetic."""
    capacity = np.bincount(entry_item, weights=entry_capacity, minlength=len(price))
    handed_out = np.minimum(demand.astype(np.float64), capacity)
    if float(np.dot(handed_out, price.astype(np.float64))) > MAX_TOTAL_FEN:
        fail("instance", f"too large: the items to hand out are worth more than {MAX_TOTAL_FEN} fen")
