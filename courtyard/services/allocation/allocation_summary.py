"""The figures a run's page and public notice show: reach, levels, Gini of new income, shortfall.

Pure functions over plain numbers, so they are easy to check by hand.
"""

from statistics import median


def gini(values):
    """The Gini coefficient of non-negative values: 0 when all are equal (or all 0), near 1 when one has all."""
    ordered = sorted(values)
    n, total = len(ordered), sum(ordered)
    if n == 0 or total == 0:
        return 0.0
    ranked = sum((rank + 1) * value for rank, value in enumerate(ordered))
    return 2 * ranked / (n * total) - (n + 1) / n


def summarise(explained, item_key):
    """A run's summary from :func:`courtyard.allocation.allocate_explained`'s result.

    ``item_key`` turns an engine item id back into the stored key (the produce item id as a string).
    Levels are in fen per unit of weight.
    """
    households = explained["households"]
    levels = [h["level"] for h in households]
    incomes = [h["income_fen"] for h in households]
    return {
        "households": len(households),
        "households_reached": sum(1 for fen in incomes if fen > 0),
        "income_fen": sum(incomes),
        "level_lowest": min(levels) if levels else 0,
        "level_median": median(levels) if levels else 0,
        "level_highest": max(levels) if levels else 0,
        "gini": round(gini(incomes), 4),
        "items": {
            item_key(item["item"]): {"demand": item["demand"], "allocated": item["allocated"],
                                     "shortfall": item["shortfall"], "price_fen": item["price_fen"]}
            for item in explained["items"]
        },
    }
