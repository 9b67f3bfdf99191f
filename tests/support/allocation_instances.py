"""Seeded random instances shaped like a county's campaign round (for tests and the benchmark).

Tiers weigh 1.0 (poor), 0.8 (monitored) and 0.5 (lifted); about 40% of households have no prior
income this season and the rest a skewed amount; demand ranges from well below to well above what
the households can supply.

Two shapes of supply:

* :func:`county_instance` (sparse, the default): each item is offered by 2% to 27% of the
  households, so a household can supply about 2 of the 16 items, 1 to 24 units of each;
* :func:`dense_instance`: each item is offered by 20% to 50% of the households, so a household can
  supply 5 to 6 of the 16 items on average (about 560,000 pairs for 100,000 households), 1 to 100
  units of each. This is the contract's speed measure (point 3).
"""

from __future__ import annotations

import numpy as np

PRICES_FEN = [8800, 4500, 6800, 3000, 2400, 12800, 1500, 5600, 900, 3600, 7200, 2000, 9600, 1200,
              4800, 6000]
TIER_WEIGHTS = [1.0, 0.8, 0.5]
#: Sparse supply: share of households offering an item (low, high) and the largest capacity.
SPARSE = {"shares": (0.02, 0.27), "max_capacity": 24}
#: Dense supply: about 5.6 items per household, capacities up to 100.
DENSE = {"shares": (0.20, 0.50), "max_capacity": 100}


def county_instance(households, items=16, seed=0, prior=True,
                    demand_ratios=(0.3, 0.6, 0.9, 1.2, 2.0), shares=SPARSE["shares"],
                    max_capacity=SPARSE["max_capacity"]):
    """A plain-data instance with ``households`` households and ``items`` items.

    Item ``j`` is offered by a share of the households drawn uniformly from ``shares``, each
    offering 1 to ``max_capacity`` units; its demand is its total capacity times one of
    ``demand_ratios``.
    """
    rng = np.random.default_rng(seed)
    item_ids = [f"item{j:02d}" for j in range(items)]
    prices = [PRICES_FEN[j % len(PRICES_FEN)] for j in range(items)]
    weight = np.array(TIER_WEIGHTS)[rng.choice(3, size=households, p=[0.35, 0.25, 0.40])]
    prior_fen = np.where(
        rng.random(households) < 0.4, 0, (rng.exponential(30000, households) // 100 * 100)
    ).astype(np.int64)
    if not prior:
        prior_fen[:] = 0
    capacity = np.zeros((households, items), dtype=np.int64)
    low, high = shares
    for j, share in enumerate(rng.random(items) * (high - low) + low):
        offers = rng.random(households) < share
        capacity[offers, j] = rng.integers(1, max_capacity + 1, size=int(offers.sum()))
    demand = (capacity.sum(axis=0) * rng.choice(demand_ratios, size=items)).astype(np.int64)
    return {
        "items": [
            {"id": item_ids[j], "price_fen": prices[j], "demand": int(demand[j])}
            for j in range(items)
        ],
        "households": [
            {
                "id": f"h{h:06d}",
                "weight": float(weight[h]),
                "prior_income_fen": int(prior_fen[h]),
                "capacity": {item_ids[j]: int(capacity[h, j]) for j in np.flatnonzero(capacity[h])},
            }
            for h in range(households)
        ],
    }


def dense_instance(households, seed=0, **options):
    """:func:`county_instance` with dense supply (see the module docstring)."""
    return county_instance(households, seed=seed, **{**DENSE, **options})
