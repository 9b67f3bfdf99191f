"""The two plain rules behind the pages, as tables: sharing declared units between offers, and the proposed split."""

from types import SimpleNamespace as N

import pytest

from courtyard.services.allocation.demand_split import propose
from courtyard.services.supply.supply_caps import compute_caps


def _offer(offer_id, contents, cap, sold=0):
    return N(id=offer_id, cap=cap, sold=sold,
             package=N(lines=[N(item_id=item, quantity=quantity) for item, quantity in contents.items()]))


@pytest.mark.parametrize("offers, units, caps", [
    # one offer: the scarcest item decides
    ([_offer(1, {"goose": 1, "egg": 10}, 30)], {"goose": 8, "egg": 55}, {1: 5}),
    # the admin cap still applies
    ([_offer(1, {"goose": 1}, 3)], {"goose": 8}, {1: 3}),
    # nothing declared for an item: nothing more to sell
    ([_offer(1, {"goose": 1}, 30, sold=2)], {}, {1: 2}),
    # shared item: turns, one package each, so neither offer starves the other
    ([_offer(1, {"goose": 1}, 30), _offer(2, {"goose": 1}, 30)], {"goose": 5}, {1: 3, 2: 2}),
    # what is sold stays reserved before the turns
    ([_offer(1, {"goose": 2}, 3), _offer(2, {"goose": 1}, 50, sold=2)], {"goose": 10}, {1: 3, 2: 4}),
    # declared below what is sold: the cap is what is sold, never less
    ([_offer(1, {"goose": 1}, 30, sold=6)], {"goose": 4}, {1: 6}),
])
def test_declared_units_are_shared_between_offers(offers, units, caps):
    """Does each offer get the packages the declared units cover, shared in turns and never below what is sold?"""
    assert compute_caps(offers, units) == caps


def _pledge(pledge_id, unit_id):
    return N(id=pledge_id, unit_id=unit_id)


@pytest.mark.parametrize("pledges, needs, capacity, paired, expected", [
    # a paired village that covers the pledge wins, though another has more
    ([_pledge(1, 7)], {1: {"goose": 3}}, {10: {"goose": 9}, 20: {"goose": 4}}, {7: {20}}, {1: 20}),
    # a paired village that cannot cover it whole loses to one that can
    ([_pledge(1, 7)], {1: {"goose": 5}}, {10: {"goose": 9}, 20: {"goose": 4}}, {7: {20}}, {1: 10}),
    # pledges use up capacity in order
    ([_pledge(1, 7), _pledge(2, 8)], {1: {"goose": 6}, 2: {"goose": 4}}, {10: {"goose": 9}, 20: {"goose": 4}}, {},
     {1: 10, 2: 20}),
    # nobody covers it whole: the village with the most room for it
    ([_pledge(1, 7)], {1: {"goose": 20}}, {10: {"goose": 9}, 20: {"goose": 4}}, {}, {1: 10}),
    # no supplying village: no proposal
    ([_pledge(1, 7)], {1: {"goose": 2}}, {}, {}, {}),
])
def test_the_proposed_split(pledges, needs, capacity, paired, expected):
    """Does the proposal send each pledge to its paired village if it can serve it, else to the one with most room?"""
    assert propose(pledges, needs, capacity, paired) == expected
