"""Bad instances are refused with one line that names the field and what is wrong."""

import copy

import pytest

from courtyard.allocation import AllocationInputError, allocate, validate

GOOD = {
    "items": [
        {"id": "chicken", "price_fen": 8800, "demand": 10},
        {"id": "eggs", "price_fen": 1500, "demand": 4},
    ],
    "households": [
        {"id": "h1", "weight": 1.0, "prior_income_fen": 0, "capacity": {"chicken": 5}},
        {"id": "h2", "weight": 0.5, "prior_income_fen": 300, "capacity": {"chicken": 2, "eggs": 3}},
    ],
}


def changed(path, value):
    """A copy of GOOD with the value at ``path`` (keys and indexes) replaced or, for
    ``DELETE``, removed."""
    instance = copy.deepcopy(GOOD)
    target = instance
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return instance


DELETE = object()

BAD = [
    ("not-an-object", [1, 2], "instance: must be a JSON object"),
    ("no-items", changed(("items",), DELETE), "instance: missing key 'items'"),
    ("items-not-list", changed(("items",), {"a": 1}), "items: must be a list"),
    ("item-not-object", changed(("items", 0), "chicken"), "items[0]: must be an object"),
    ("item-id-empty", changed(("items", 0, "id"), ""), "items[0].id: must be a non-empty string"),
    ("item-id-number", changed(("items", 1, "id"), 7), "items[1].id: must be a non-empty string"),
    ("item-id-duplicate", changed(("items", 1, "id"), "chicken"),
     "items[1].id: duplicate item id 'chicken'"),
    ("price-negative", changed(("items", 0, "price_fen"), -5),
     "items[0] (id 'chicken').price_fen: must not be negative, got -5"),
    ("price-zero", changed(("items", 0, "price_fen"), 0),
     "items[0] (id 'chicken').price_fen: must be greater than 0"),
    ("price-fraction", changed(("items", 0, "price_fen"), 88.5),
     "items[0] (id 'chicken').price_fen: must be a whole number, got 88.5"),
    ("price-float-whole", changed(("items", 0, "price_fen"), 8800.0),
     "items[0] (id 'chicken').price_fen: must be a whole number, got 8800.0"),
    ("price-string", changed(("items", 0, "price_fen"), "8800"),
     "items[0] (id 'chicken').price_fen: must be a whole number, got '8800'"),
    ("demand-negative", changed(("items", 1, "demand"), -1),
     "items[1] (id 'eggs').demand: must not be negative, got -1"),
    ("demand-bool", changed(("items", 1, "demand"), True),
     "items[1] (id 'eggs').demand: must be a whole number, got True"),
    ("demand-missing", changed(("items", 1, "demand"), DELETE),
     "items[1] (id 'eggs'): missing key 'demand'"),
    ("demand-huge", changed(("items", 1, "demand"), 10**10),
     "items[1] (id 'eggs').demand: must be at most 1000000000"),
    ("households-not-list", changed(("households",), None), "households: must be a list"),
    ("household-not-object", changed(("households", 1), 3), "households[1]: must be an object"),
    ("household-id-missing", changed(("households", 1, "id"), DELETE),
     "households[1]: missing key 'id'"),
    ("household-id-duplicate", changed(("households", 1, "id"), "h1"),
     "households[1].id: duplicate household id 'h1' (also households[0])"),
    ("weight-zero", changed(("households", 1, "weight"), 0),
     "households[1] (id 'h2').weight: must be a number greater than 0, got 0"),
    ("weight-negative", changed(("households", 0, "weight"), -1.0),
     "households[0] (id 'h1').weight: must be a number greater than 0, got -1.0"),
    ("weight-string", changed(("households", 0, "weight"), "1"),
     "households[0] (id 'h1').weight: must be a number greater than 0, got '1'"),
    ("weight-nan", changed(("households", 0, "weight"), float("nan")),
     "households[0] (id 'h1').weight: must be a number greater than 0, got nan"),
    ("weight-infinite", changed(("households", 0, "weight"), float("inf")),
     "households[0] (id 'h1').weight: must be between 1e-06 and 1e+06, got inf"),
    ("weight-missing", changed(("households", 0, "weight"), DELETE),
     "households[0] (id 'h1'): missing key 'weight'"),
    ("prior-negative", changed(("households", 1, "prior_income_fen"), -300),
     "households[1] (id 'h2').prior_income_fen: must not be negative, got -300"),
    ("prior-fraction", changed(("households", 1, "prior_income_fen"), 0.5),
     "households[1] (id 'h2').prior_income_fen: must be a whole number, got 0.5"),
    ("capacity-not-object", changed(("households", 0, "capacity"), [5]),
     "households[0] (id 'h1').capacity: must be an object"),
    ("capacity-unknown-item", changed(("households", 1, "capacity", "goat"), 1),
     "households[1] (id 'h2').capacity: unknown item 'goat'"),
    ("capacity-negative", changed(("households", 1, "capacity", "eggs"), -3),
     "households[1] (id 'h2').capacity['eggs']: must not be negative, got -3"),
    ("capacity-fraction", changed(("households", 0, "capacity", "chicken"), 2.5),
     "households[0] (id 'h1').capacity['chicken']: must be a whole number, got 2.5"),
    ("pinned-not-list", changed(("pinned",), {"h1": 1}), "pinned: must be a list"),
    ("pinned-unknown-household", changed(("pinned",), [{"household": "h9", "item": "eggs", "units": 1}]),
     "pinned[0].household: unknown household 'h9'"),
    ("pinned-unknown-item", changed(("pinned",), [{"household": "h1", "item": "goat", "units": 1}]),
     "pinned[0].item: unknown item 'goat'"),
    ("pinned-negative", changed(("pinned",), [{"household": "h1", "item": "chicken", "units": -1}]),
     "pinned[0].units: must not be negative, got -1"),
    ("pinned-over-capacity", changed(("pinned",), [{"household": "h1", "item": "chicken", "units": 6}]),
     "pinned[0].units: 6 units exceed the capacity 5 of household 'h1' for item 'chicken'"),
    ("pinned-without-capacity", changed(("pinned",), [{"household": "h1", "item": "eggs", "units": 1}]),
     "pinned[0].units: 1 units exceed the capacity 0 of household 'h1' for item 'eggs'"),
    ("pinned-twice", changed(("pinned",), [{"household": "h2", "item": "eggs", "units": 1},
                                           {"household": "h2", "item": "eggs", "units": 2}]),
     "pinned[1]: household 'h2' and item 'eggs' are pinned twice"),
    ("pinned-over-demand", changed(("items", 0, "demand"), 6) | {"pinned": [
        {"household": "h1", "item": "chicken", "units": 5},
        {"household": "h2", "item": "chicken", "units": 2}]},
     "pinned: the units pinned for item 'chicken' (7) exceed its demand (6)"),
    ("too-valuable", {"items": [{"id": "gold", "price_fen": 10**12, "demand": 10**4}],
                      "households": [{"id": "h1", "weight": 1, "prior_income_fen": 0,
                                      "capacity": {"gold": 10**4}}]},
     "instance: too large"),
]


@pytest.mark.parametrize("instance, message", [pytest.param(i, m, id=n) for n, i, m in BAD])
def test_bad_instance_is_named(instance, message):
    """Is each kind of bad input refused with a one-line message naming the place?"""
    with pytest.raises(AllocationInputError) as caught:
        validate(instance)
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text
    with pytest.raises(AllocationInputError):
        allocate(instance)


def test_good_instance_passes_and_keeps_order():
    """Does a valid instance come through with its ids, prices and pairs in input order?"""
    problem = validate(GOOD)
    assert problem.item_ids == ("chicken", "eggs")
    assert problem.household_ids == ("h1", "h2")
    assert problem.price.tolist() == [8800, 1500]
    assert problem.weight.tolist() == [1.0, 0.5]
    assert list(zip(problem.entry_household.tolist(), problem.entry_item.tolist(),
                    problem.entry_capacity.tolist())) == [(0, 0, 5), (1, 0, 2), (1, 1, 3)]
    assert problem.entry_pinned.tolist() == [-1, -1, -1]


def test_extra_keys_zero_capacities_and_key_order_are_harmless():
    """Are unknown keys ignored, zero capacities dropped and capacity keys put in item order?"""
    instance = changed(("households", 1, "capacity"), {"eggs": 3, "chicken": 0})
    instance["households"][0]["name"] = "王"
    instance["note"] = "round 2"
    problem = validate(instance)
    assert list(zip(problem.entry_household.tolist(), problem.entry_item.tolist())) == [
        (0, 0), (1, 1)]


def test_a_late_error_in_a_large_instance_is_still_found():
    """With thousands of good households, is one bad capacity deep inside still named?"""
    households = [
        {"id": f"h{i}", "weight": 1.0, "prior_income_fen": i, "capacity": {"eggs": 1}}
        for i in range(5000)
    ]
    households[4321]["capacity"]["eggs"] = -2
    with pytest.raises(AllocationInputError, match=r"^households\[4321\] \(id 'h4321'\)\.capacity"):
        validate({"items": [{"id": "eggs", "price_fen": 100, "demand": 3}], "households": households})
