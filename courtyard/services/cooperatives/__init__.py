"""Cooperatives and shops supplying for their member households (一店助多户).

``registry`` (the county registers a cooperative, its members and its user), ``shares`` (the pure
split of a declaration among members), ``declarations`` (a cooperative declares for a campaign on
its members' behalf), ``fees`` (its service fee, posted per household, never below a contract's
floor), ``queries`` (what a cooperative's pages list).
"""
