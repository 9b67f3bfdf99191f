"""Using the fair-allocation engine (:mod:`courtyard.allocation`): runs, the county's split of demand, tiers."""
