"""Splitting a cooperative's declared units among its members by their shares, as a pure function.

Each member gets ``units × shares / total shares`` rounded down; the units left over go one each to
the members with the largest remainders, the poorer tier first on a tie, then the lower id. The
same input always gives the same split, and the parts add up to ``units`` exactly.
"""

from fractions import Fraction

TIER_ORDER = {"poor": 0, "monitored": 1, "lifted": 2}


def split(units, members):
    """``{member_id: units}`` for ``members`` = ``[(member_id, shares, tier)]``; an empty list takes nothing."""
    if not members:
        return {}
    total = sum(shares for _, shares, _ in members)
    exact = {member_id: Fraction(units * shares, total) for member_id, shares, _ in members}
    parts = {member_id: int(value) for member_id, value in exact.items()}
    left = units - sum(parts.values())
    order = sorted(members, key=lambda m: (-(exact[m[0]] - parts[m[0]]), TIER_ORDER.get(m[2], 9), m[0]))
    for member_id, _, _ in order[:left]:
        parts[member_id] += 1
    return parts
