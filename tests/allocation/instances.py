"""Seeded random instances shaped like a county's campaign round (for tests and the benchmark).

Tiers weigh 1.0 (poor), 0.8 (monitored) and 0.5 (lifted); about 40% of households have no prior
income this season and the rest a skewed amount; each item is offered by a few to a quarter of the
households (most capacities are 0), and demand ranges from well below to well above what the
households can supply.
"""

from __future__ import annotations

import numpy as np

PRICES_FEN = [8800, 4500, 6800, 3000, 2400, 12800, 1500, 5600, 900, 3600, 7200, 2000, 9600, 1200,
              4800, 6000]
TIER_WEIGHTS = [1.0, 0.8, 0.5]


def county_instance(households, items=16, seed=0, prior=True, demand_ratios=(0.3, 0.6, 0.9, 1.2, 2.0)):
    """A plain-data instance with ``households`` households and ``items`` items."""
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
    for j, share in enumerate(rng.random(items) * 0.25 + 0.02):
        offers = rng.random(households) < share
        capacity[offers, j] = rng.integers(1, 25, size=int(offers.sum()))
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
