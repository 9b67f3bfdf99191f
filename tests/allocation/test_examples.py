"""Hand-checked allocations: small tables whose answers can be worked out on paper."""

import pytest

from courtyard.allocation import allocate, allocate_explained


def household(hid, capacity, prior=0, weight=1.0):
    return {"id": hid, "weight": weight, "prior_income_fen": prior, "capacity": capacity}


def item(iid, price, demand):
    return {"id": iid, "price_fen": price, "demand": demand}


def units_of(result):
    return {(row["household"], row["item"]): row["units"] for row in result["allocation"]}


CASES = [
    pytest.param(
        # The contract's own example: one household, demand above its capacity.
        {"items": [item("free_range_chicken", 8800, 120)],
         "households": [household("h17", {"free_range_chicken": 5})]},
        {("h17", "free_range_chicken"): 5},
        {"free_range_chicken": 115},
        id="contract-example",
    ),
    pytest.param(
        # A at level 0 and B at 10,000: all 5,000 fen of supply lifts A, who stays below B.
        {"items": [item("eggs", 1000, 5)],
         "households": [household("A", {"eggs": 10}), household("B", {"eggs": 10}, prior=10000)]},
        {("A", "eggs"): 5},
        {"eggs": 0},
        id="poorest-first",
    ),
    pytest.param(
        # A poor household (weight 1.0) and a lifted one (weight 0.5), both at 0, listed lifted
        # first: the single unit would lift the lifted household twice as high, so the poor one
        # gets it.
        {"items": [item("chicken", 8800, 1)],
         "households": [household("lifted", {"chicken": 3}, weight=0.5),
                        household("poor", {"chicken": 3}, weight=1.0)]},
        {("poor", "chicken"): 1},
        {"chicken": 0},
        id="poor-tier-before-lifted-tier",
    ),
    pytest.param(
        # A is lifted from 0 to B's 2,000 first (2 units), then the other 4 units are shared.
        {"items": [item("eggs", 1000, 6)],
         "households": [household("A", {"eggs": 10}), household("B", {"eggs": 10}, prior=2000)]},
        {("A", "eggs"): 4, ("B", "eggs"): 2},
        {"eggs": 0},
        id="prior-income-shifts-the-share",
    ),
    pytest.param(
        # Equal levels with weights 1.0 and 0.5 means A earns twice what B earns: 2 units and 1.
        {"items": [item("honey", 1000, 3)],
         "households": [household("A", {"honey": 10}), household("B", {"honey": 10}, weight=0.5)]},
        {("A", "honey"): 2, ("B", "honey"): 1},
        {"honey": 0},
        id="weights-scale-the-share",
    ),
    pytest.param(
        # A can supply only 1; the rest goes to B even though B ends higher.
        {"items": [item("eggs", 1000, 5)],
         "households": [household("A", {"eggs": 1}), household("B", {"eggs": 10})]},
        {("A", "eggs"): 1, ("B", "eggs"): 4},
        {"eggs": 0},
        id="capacity-caps-the-poorest",
    ),
    pytest.param(
        # Demand 10 against a total capacity of 7: everyone supplies everything, 3 are missing.
        {"items": [item("eggs", 1000, 10)],
         "households": [household("A", {"eggs": 3}), household("B", {"eggs": 4})]},
        {("A", "eggs"): 3, ("B", "eggs"): 4},
        {"eggs": 3},
        id="shortfall",
    ),
    pytest.param(
        # Only A offers chicken, so A earns 1,000 from it; the 3 eggs then bring A and B level:
        # A 1 egg (2,000), B 2 eggs (2,000). Filling eggs first, blind to the chicken, would not.
        {"items": [item("eggs", 1000, 3), item("chicken", 1000, 1)],
         "households": [household("A", {"eggs": 3, "chicken": 1}), household("B", {"eggs": 3})]},
        {("A", "chicken"): 1, ("A", "eggs"): 1, ("B", "eggs"): 2},
        {"eggs": 0, "chicken": 0},
        id="items-are-balanced-together",
    ),
    pytest.param(
        # Three households exactly level and one unit: the first in the input gets it.
        {"items": [item("eggs", 100, 1)],
         "households": [household("C", {"eggs": 1}), household("A", {"eggs": 1}),
                        household("B", {"eggs": 1})]},
        {("C", "eggs"): 1},
        {"eggs": 0},
        id="ties-go-to-the-earlier-household",
    ),
    pytest.param(
        # No demand: nothing is handed out and nothing is missing.
        {"items": [item("eggs", 100, 0)], "households": [household("A", {"eggs": 4})]},
        {},
        {"eggs": 0},
        id="zero-demand",
    ),
    pytest.param(
        # A's pin of 3 counts toward the demand of 4; only 1 unit is left for B.
        {"items": [item("eggs", 1000, 4)],
         "households": [household("A", {"eggs": 10}), household("B", {"eggs": 10})],
         "pinned": [{"household": "A", "item": "eggs", "units": 3}]},
        {("A", "eggs"): 3, ("B", "eggs"): 1},
        {"eggs": 0},
        id="pinned-units-are-kept",
    ),
    pytest.param(
        # Pinning 0 units keeps A out although A is the poorer.
        {"items": [item("eggs", 1000, 4)],
         "households": [household("A", {"eggs": 10}), household("B", {"eggs": 10}, prior=5000)],
         "pinned": [{"household": "A", "item": "eggs", "units": 0}]},
        {("B", "eggs"): 4},
        {"eggs": 0},
        id="pinned-zero-excludes",
    ),
    pytest.param(
        # A's pinned chicken (3,000 fen) is income: B is lifted to 3,000 before A gets an egg.
        {"items": [item("eggs", 1000, 5), item("chicken", 3000, 1)],
         "households": [household("A", {"eggs": 10, "chicken": 1}), household("B", {"eggs": 10})],
         "pinned": [{"household": "A", "item": "chicken", "units": 1}]},
        {("A", "chicken"): 1, ("A", "eggs"): 1, ("B", "eggs"): 4},
        {"eggs": 0, "chicken": 0},
        id="pinned-income-counts-toward-the-level",
    ),
    pytest.param(
        # A pinned pair's spare capacity is not used: 2 pinned + B's 1 = 3 of a demand of 9.
        {"items": [item("eggs", 1000, 9)],
         "households": [household("A", {"eggs": 8}), household("B", {"eggs": 1})],
         "pinned": [{"household": "A", "item": "eggs", "units": 2}]},
        {("A", "eggs"): 2, ("B", "eggs"): 1},
        {"eggs": 6},
        id="pinned-pair-capacity-is-its-pin",
    ),
]


@pytest.mark.parametrize("instance, expected_units, expected_shortfall", CASES)
def test_hand_checked_allocation(instance, expected_units, expected_shortfall):
    """Does the engine give the allocation worked out by hand, with the right shortfall and
    income per household?"""
    result = allocate(instance)
    assert units_of(result) == expected_units
    assert result["shortfall"] == expected_shortfall
    prices = {it["id"]: it["price_fen"] for it in instance["items"]}
    expected_income = {}
    for (hid, iid), units in expected_units.items():
        expected_income[hid] = expected_income.get(hid, 0) + units * prices[iid]
    assert result["income_fen"] == expected_income


def test_contract_example_is_byte_exact():
    """Is the contract's example result reproduced key for key, in the contract's order?"""
    instance = CASES[0].values[0]
    assert allocate(instance) == {
        "allocation": [{"household": "h17", "item": "free_range_chicken", "units": 5}],
        "shortfall": {"free_range_chicken": 115},
        "income_fen": {"h17": 44000},
    }
    assert list(allocate(instance)) == ["allocation", "shortfall", "income_fen"]


def test_rows_follow_input_order():
    """Are rows listed by household in input order, then by item in input order, whatever the
    order of the capacity keys?"""
    instance = {
        "items": [item("b", 100, 10), item("a", 100, 10)],
        "households": [household("Z", {"a": 1, "b": 1}), household("Y", {"a": 1, "b": 1})],
    }
    rows = [(row["household"], row["item"]) for row in allocate(instance)["allocation"]]
    assert rows == [("Z", "b"), ("Z", "a"), ("Y", "b"), ("Y", "a")]


def test_explained_reasons_and_levels():
    """Does the explained result say why: capacity reached, level reached, or pinned, with each
    household's level and the item's common level?"""
    instance = {
        "items": [item("eggs", 1000, 6), item("honey", 2000, 1)],
        "households": [
            household("A", {"eggs": 1, "honey": 1}),
            household("B", {"eggs": 10}),
            household("C", {"eggs": 10}, weight=0.5),
        ],
        "pinned": [{"household": "A", "item": "honey", "units": 1}],
    }
    explained = allocate_explained(instance)
    rows = {
        (h["household"], row["item"]): (row["units"], row["reason"])
        for h in explained["households"]
        for row in h["items"]
    }
    # A: 2,000 pinned + 1 egg (its whole capacity) = 3,000. B (step 1,000) and C (step 2,000 at
    # weight 0.5) share the other 5 eggs at the common level 10,000/3: B 3.33, C 1.67. Floors
    # give B 3 (3,000) and C 1 (2,000); the odd unit goes to the lower, C (4,000).
    assert rows[("A", "honey")] == (1, "pinned")
    assert rows[("A", "eggs")] == (1, "capacity_reached")
    assert rows[("B", "eggs")] == (3, "level_reached")
    assert rows[("C", "eggs")] == (2, "level_reached")
    levels = {h["household"]: h["level"] for h in explained["households"]}
    assert levels == {"A": 3000.0, "B": 3000.0, "C": 4000.0}
    eggs = next(it for it in explained["items"] if it["item"] == "eggs")
    assert eggs["allocated"] == 6 and eggs["shortfall"] == 0
    assert eggs["common_level"] == pytest.approx(10000 / 3)
    honey = next(it for it in explained["items"] if it["item"] == "honey")
    assert honey["common_level"] is None  # nothing free was left to hand out
    assert explained["allocation"] == allocate(instance)["allocation"]


def test_everything_fits_means_no_common_level():
    """When demand covers all capacity, is every pair 'capacity_reached' with no common level?"""
    explained = allocate_explained(
        {"items": [item("eggs", 500, 50)],
         "households": [household("A", {"eggs": 2}), household("B", {"eggs": 3}, prior=900)]}
    )
    reasons = [row["reason"] for h in explained["households"] for row in h["items"]]
    assert reasons == ["capacity_reached", "capacity_reached"]
    assert explained["items"][0]["common_level"] is None
    assert explained["items"][0]["shortfall"] == 45
