"""The polishing moves: exchanges within an item and swaps across two items."""

import numpy as np

from courtyard.allocation import allocate
from courtyard.allocation.exchange import improve, move_groups


def polish(prior, weight, pairs, price, units):
    """Run :func:`improve` on free pairs given as (household, item, capacity), item-major."""
    household = np.array([h for h, _, _ in pairs])
    item = np.array([i for _, i, _ in pairs])
    cap = np.array([c for _, _, c in pairs])
    starts = np.searchsorted(item, np.arange(len(price) + 1))
    units = np.array(units)
    money = np.array(prior) + np.bincount(household, weights=units * np.array(price)[item],
                                          minlength=len(prior)).astype(np.int64)
    moves = improve(units, cap, money, np.array(weight, dtype=float),
                    *move_groups(household, item, starts, np.array(price)))
    return units.tolist(), money.tolist(), moves


def test_exchange_moves_a_unit_down_to_the_poorer():
    """A holds 3 eggs (3,000) and B none: two units move, ending at 1,000 and 2,000."""
    units, money, moves = polish([0, 0], [1, 1], [(0, 0, 5), (1, 0, 5)], [1000], [3, 0])
    assert units == [2, 1] or units == [1, 2]
    assert sorted(money) == [1000, 2000]
    assert moves == 1


def test_exchange_does_not_move_when_it_would_only_flip_the_order():
    """A at 1,000 and B at 0 with one 1,000-fen unit: moving it would just swap who is poorer."""
    units, money, moves = polish([0, 0], [1, 1], [(0, 0, 5), (1, 0, 5)], [1000], [1, 0])
    assert (units, moves) == ([1, 0], 0)


def test_swap_closes_a_gap_no_single_exchange_can():
    """S (500 + honey 1,000 = 1,500) and R (400 + eggs 600 = 1,000) are 500 apart: handing one
    whole unit over would overshoot, but S trading its honey for R's eggs moves 400 fen and
    ends at 1,100 and 1,400, the best possible (1,100^2 + 1,400^2 < 1,500^2 + 1,000^2)."""
    pairs = [(0, 0, 1), (1, 0, 1), (0, 1, 1), (1, 1, 1)]  # item 0 honey 1,000; item 1 eggs 600
    units, money, moves = polish([500, 400], [1, 1], pairs, [1000, 600], [1, 0, 0, 1])
    assert units == [0, 1, 1, 0]
    assert money == [1100, 1400]
    assert moves == 1


def test_swap_case_end_to_end():
    """Does allocate() reach that best allocation from scratch?"""
    result = allocate({
        "items": [{"id": "honey", "price_fen": 1000, "demand": 1},
                  {"id": "eggs", "price_fen": 600, "demand": 1}],
        "households": [
            {"id": "S", "weight": 1, "prior_income_fen": 500, "capacity": {"honey": 1, "eggs": 1}},
            {"id": "R", "weight": 1, "prior_income_fen": 400, "capacity": {"honey": 1, "eggs": 1}},
        ],
    })
    assert result["income_fen"] == {"S": 600, "R": 1000}


def test_weights_enter_the_rule():
    """With weight 0.5, B's level rises twice as fast: A (0) and B (weight 0.5, 0) with 2 units of
    1,000 end at A 1 unit / B 1 unit (levels 1,000 and 2,000), not A 0 / B 2 (0 and 4,000)."""
    units, money, _ = polish([0, 0], [1, 0.5], [(0, 0, 5), (1, 0, 5)], [1000], [0, 2])
    assert units == [1, 1]


def swap_items(common):
    """Swap groups built for two households that both supply a dear and a cheap item, given the
    two items' common levels (prices 1,000 and 600, weights 1, both at level 5,000)."""
    household, item = np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1])
    starts = np.array([0, 2, 4])
    level, weight = np.array([5000.0, 5000.0]), np.array([1.0, 1.0])
    _, swaps = move_groups(household, item, starts, np.array([1000, 600]), level,
                           np.array(common, dtype=float), weight)
    return swaps


def test_swaps_only_where_the_common_levels_meet():
    """A swap group is built when both items' common levels are within a few units, and not when
    they are far apart or an item was handed out completely or not at all (nan)."""
    assert len(swap_items([5000, 5300])) == 1
    assert swap_items([5000, 50000]) == []
    assert swap_items([5000, float("nan")]) == []


def test_swaps_leave_out_households_far_from_the_common_levels():
    """Only the households standing near the two common levels join the swap group."""
    household, item = np.array([0, 1, 2, 0, 1, 2]), np.array([0, 0, 0, 1, 1, 1])
    starts = np.array([0, 3, 6])
    level, weight = np.array([5000.0, 5200.0, 90000.0]), np.array([1.0, 1.0, 1.0])
    _, swaps = move_groups(household, item, starts, np.array([1000, 600]), level,
                           np.array([5000.0, 5100.0]), weight)
    assert [group.household.tolist() for group in swaps] == [[0, 1]]
