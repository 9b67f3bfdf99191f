"""The error type, the numeric limits and the small field checks shared by the input readers.

Every check fails by raising :class:`AllocationInputError` whose message is one line of the form
``<where>: <what is wrong>``, for example ``items[2].price_fen: must not be negative, got -5``.
"""

from __future__ import annotations

#: Largest accepted count of units (demand, capacity, pinned units).
MAX_UNITS = 10**9
#: Largest accepted amount of money in one field (price, prior income), in fen.
MAX_FEN = 10**12
#: Accepted range of household weights (keeps every level finite and meaningful).
MIN_WEIGHT, MAX_WEIGHT = 1e-6, 1e6
#: The value of everything that can be handed out must stay exactly representable as a float.
MAX_TOTAL_FEN = 2**53


class AllocationInputError(ValueError):
    """The instance is not valid; ``str(error)`` is a one-line message naming what is wrong."""


def fail(where, message):
    """Raise :class:`AllocationInputError` for ``where`` (a path such as ``items[3].demand``)."""
    raise AllocationInputError(f"{where}: {message}")


def check_count(value, where, limit=MAX_UNITS):
    """Return ``value`` if it is a whole number in [0, limit] (``bool`` and ``5.0`` are not)."""
    if type(value) is not int:
        fail(where, f"must be a whole number, got {value!r}")
    if value < 0:
        fail(where, f"must not be negative, got {value}")
    if value > limit:
        fail(where, f"must be at most {limit}, got {value}")
    return value


def check_id(value, where):
    """Return ``value`` if it is a non-empty string."""
    if type(value) is not str or not value:
        fail(where, f"must be a non-empty string, got {value!r}")
    return value


def check_weight(value, where):
    """Return ``value`` if it is a number in [MIN_WEIGHT, MAX_WEIGHT] (so finite and > 0)."""
    if type(value) not in (int, float) or value != value or value <= 0:
        fail(where, f"must be a number greater than 0, got {value!r}")
    if not MIN_WEIGHT <= value <= MAX_WEIGHT:
        fail(where, f"must be between {MIN_WEIGHT:g} and {MAX_WEIGHT:g}, got {value!r}")
    return value


def field(record, key, where):
    """``record[key]``, failing with "missing key" when ``record`` (a dict) lacks it."""
    if type(record) is not dict:
        fail(where, "must be an object")
    if key not in record:
        fail(where, f"missing key {key!r}")
    return record[key]
